using System.Globalization;
using Reframe.Core.Safety;
using Reframe.Media;
using Reframe.Media.Sampling;

namespace Reframe.Onnx.Safety;

/// <summary>
/// <see cref="ISafetyChecker"/> with an ONNX image classifier: frames sampled with ffmpeg (spread over the video, at the
/// model's input size), each classified, the file flagged when any frame's flagged score reaches the threshold.
/// </summary>
public sealed class OnnxSafetyChecker(OnnxImageClassifier classifier, SafetyModelSettings settings, MediaSettings media) : ISafetyChecker
{
    private readonly FrameSampler _sampler = new(media);

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"ONNX classifier {Path.GetFileName(settings.ModelPath)} on {classifier.Device} ({classifier.Width}x{classifier.Height} {classifier.Layout}, classes {string.Join(',', settings.FlaggedClasses)} at >= {settings.Threshold}, {settings.SampleFrames} frames per video)");

    public async Task<SafetyVerdict> CheckVideoAsync(string path, CancellationToken cancellationToken) =>
        Judge(await _sampler.SampleVideoAsync(path, settings.SampleFrames, classifier.Width, classifier.Height, cancellationToken).ConfigureAwait(false),
            cancellationToken);

    public async Task<SafetyVerdict> CheckImageAsync(string path, CancellationToken cancellationToken) =>
        Judge([await _sampler.SampleImageAsync(path, "image", classifier.Width, classifier.Height, cancellationToken).ConfigureAwait(false)], cancellationToken);

    private SafetyVerdict Judge(IReadOnlyList<byte[]> frames, CancellationToken cancellationToken)
    {
        var highest = double.NegativeInfinity;
        int? flagged = null;
        for (var i = 0; i < frames.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var score = classifier.Score(frames[i]);
            highest = Math.Max(highest, score);
            if (score >= settings.Threshold && flagged is null)
            {
                flagged = i;
            }
        }
        return new SafetyVerdict(flagged is not null, highest, frames.Count, flagged);
    }
}
