using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Safety;

/// <summary>
/// An operator's image classifier: one float image input (either layout), one output of class scores. Opened and run
/// once on a grey frame at start-up, so a file that loads but cannot run, or whose output has fewer classes than the
/// flagged indices name, stops the service there and not at the first checked task.
/// </summary>
public sealed class OnnxImageClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly SafetyModelSettings _settings;
    private readonly PixelTransform _transform;
    private readonly string _inputName;
    private readonly string _outputName;

    private OnnxImageClassifier(InferenceSession session, SafetyModelSettings settings, string device)
    {
        _session = session;
        _settings = settings;
        Device = device;
        _transform = PixelTransform.FromMeanStd(settings.Mean, settings.Std, bgr: false);
        if (session.InputNames.Count != 1 || session.OutputNames.Count < 1)
        {
            throw Unusable($"it has {session.InputNames.Count} inputs and {session.OutputNames.Count} outputs; one image input and a class-score output are expected");
        }
        _inputName = session.InputNames[0];
        _outputName = session.OutputNames[0];
        var input = session.InputMetadata[_inputName];
        if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || input.Dimensions.Length != 4)
        {
            throw Unusable($"its input '{_inputName}' is not a float32 tensor of rank 4 (an image batch)");
        }
        var dims = input.Dimensions;
        Layout = settings.Layout ?? (dims[1] == 3 ? TensorLayout.Nchw : dims[3] == 3 ? TensorLayout.Nhwc
            : throw Unusable($"its input shape [{string.Join(',', dims)}] does not show where the 3 colour channels are; set {SafetyModelSettings.LayoutKey} to nchw or nhwc"));
        var (h, w) = Layout == TensorLayout.Nchw ? (dims[2], dims[3]) : (dims[1], dims[2]);
        (Width, Height) = settings.InputSize ?? (w > 0 && h > 0 ? (w, h)
            : throw Unusable($"its input size is not fixed ([{string.Join(',', dims)}]); set {SafetyModelSettings.InputSizeKey} (e.g. 224)"));
    }

    public TensorLayout Layout { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; }

    /// <summary>Opens, checks and dry-runs the model; every problem is an <see cref="OnnxModelException"/> naming the file.</summary>
    public static OnnxImageClassifier Open(SafetyModelSettings settings, OnnxRuntimeSettings runtime)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (session, device) = OnnxSessions.Open(settings.ModelPath, runtime, SafetyModelSettings.ModelKey);
        try
        {
            var classifier = new OnnxImageClassifier(session, settings, device);
            var grey = new byte[classifier.Width * classifier.Height * 3];
            Array.Fill(grey, (byte)128);
            classifier.Score(grey);
            return classifier;
        }
        catch (OnnxRuntimeException e)
        {
            session.Dispose();
            throw new OnnxModelException($"{SafetyModelSettings.ModelKey}: {settings.ModelPath} loads but does not run: {e.Message}", e);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The flagged score of one rgb24 frame of <see cref="Width"/> x <see cref="Height"/>.</summary>
    public double Score(ReadOnlySpan<byte> rgb)
    {
        var pixels = new float[Width * Height * 3];
        ImageTensors.Write(rgb, Width, Height, pixels, Width, Height, Layout, _transform);
        long[] shape = Layout == TensorLayout.Nchw ? [1, 3, Height, Width] : [1, Height, Width, 3];
        using var input = OrtValue.CreateTensorValueFromMemory(pixels, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [_inputName], [input], [_outputName]);
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        var top = _settings.FlaggedClasses.Max();
        if (scores.Length <= top)
        {
            throw Unusable($"its output has {scores.Length} values and {SafetyModelSettings.FlaggedClassesKey} names class {top}");
        }
        return FlaggedScore(scores, _settings.FlaggedClasses, _settings.Output);
    }

    /// <summary>The sum of the flagged classes' probabilities (after a softmax when the model gives logits).</summary>
    internal static double FlaggedScore(ReadOnlySpan<float> scores, IReadOnlyList<int> flagged, SafetyOutputKind kind)
    {
        if (kind == SafetyOutputKind.Probabilities)
        {
            var probability = 0.0;
            foreach (var i in flagged)
            {
                probability += scores[i];
            }
            return probability;
        }
        double max = double.NegativeInfinity, total = 0;
        foreach (var s in scores)
        {
            max = Math.Max(max, s);
        }
        foreach (var s in scores)
        {
            total += Math.Exp(s - max);
        }
        var sum = 0.0;
        foreach (var i in flagged)
        {
            sum += Math.Exp(scores[i] - max);
        }
        return sum / total;
    }

    private OnnxModelException Unusable(string why) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{SafetyModelSettings.ModelKey}: {_settings.ModelPath} is not a usable image classifier: {why}."));

    public void Dispose() => _session.Dispose();
}
