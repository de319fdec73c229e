using Microsoft.ML.OnnxRuntime;
using Reframe.Core.Engines;
using Reframe.Core.Requests;
using Reframe.Media.Interpolation;
using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Interpolation;

/// <summary>
/// A RIFE or FILM export run with ONNX Runtime, in the runner's interpolation slot. The session is opened and dry-run
/// once at start-up (a broken or unsupported file stops the service, naming it) and shared by every task: a session's
/// Run is thread-safe.
/// </summary>
public sealed class OnnxFrameInterpolator : INetworkInterpolator, IDisposable
{
    private readonly InferenceSession _session;
    private readonly InterpolatorSignature _signature;
    private readonly InterpolatorModelSettings _settings;

    private OnnxFrameInterpolator(InferenceSession session, InterpolatorSignature signature, InterpolatorModelSettings settings, string device)
    {
        _session = session;
        _signature = signature;
        _settings = settings;
        Device = device;
        Transform = settings.Transform;
    }

    public InterpolatorModel Model => _settings.Model;

    public string Name => WireNames.Of(_settings.Model);

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; }

    public string ModelPath => _settings.ModelPath;

    internal TensorLayout Layout => _signature.Layout;

    internal PixelTransform Transform { get; }

    internal int PadMultiple => _settings.PadMultiple;

    internal InterpolatorInputKind Kind => _signature.Kind;

    public static OnnxFrameInterpolator Open(InterpolatorModelSettings settings, OnnxRuntimeSettings runtime)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var what = $"{InterpolatorModelSettings.Keys(settings.Model).Path}={settings.ModelPath}";
        var (session, device) = OnnxSessions.Open(settings.ModelPath, runtime, InterpolatorModelSettings.Keys(settings.Model).Path);
        try
        {
            var interpolator = new OnnxFrameInterpolator(session, InterpolatorSignature.Detect(session, what), settings, device);
            interpolator.DryRun(what);
            return interpolator;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IInterpolatingWriter Create(IFrameWriter downstream, int factor, int maxOutputFrames, string weightsPath)
    {
        if (!string.Equals(Path.GetFullPath(weightsPath), Path.GetFullPath(_settings.ModelPath), StringComparison.Ordinal))
        {
            // The session was opened from the configured file at start-up; a different path means a different configuration.
            throw new InvalidOperationException($"{Name} was loaded from {_settings.ModelPath}, not {weightsPath}");
        }
        return new OnnxInterpolatingWriter(this, downstream, factor, maxOutputFrames);
    }

    /// <summary>
    /// One frame at time <paramref name="t"/> between two padded frame tensors (in <see cref="Layout"/>), into
    /// <paramref name="output"/> (same size). <paramref name="scratch"/> holds the concatenated input where the model takes one.
    /// </summary>
    internal void Interpolate(float[] frame0, float[] frame1, float t, int tensorWidth, int tensorHeight, ref float[]? scratch, Span<float> output)
    {
        var plane = tensorWidth * tensorHeight;
        long[] imageShape = _signature.Layout == TensorLayout.Nchw ? [1, 3, tensorHeight, tensorWidth] : [1, tensorHeight, tensorWidth, 3];
        using var runOptions = new RunOptions();
        IDisposableReadOnlyCollection<OrtValue> outputs;
        if (_signature.Kind == InterpolatorInputKind.Concatenated)
        {
            scratch ??= new float[7 * plane];
            Array.Copy(frame0, 0, scratch, 0, 3 * plane);
            Array.Copy(frame1, 0, scratch, 3 * plane, 3 * plane);
            scratch.AsSpan(6 * plane, plane).Fill(t);
            using var input = OrtValue.CreateTensorValueFromMemory(scratch, [1, 7, tensorHeight, tensorWidth]);
            outputs = _session.Run(runOptions, [_signature.Frame0], [input], [_signature.Output]);
        }
        else
        {
            var timeShape = _signature.TimeShape(tensorWidth, tensorHeight);
            var time = new float[timeShape.Aggregate(1L, (a, b) => a * b)];
            Array.Fill(time, t);
            using var x0 = OrtValue.CreateTensorValueFromMemory(frame0, imageShape);
            using var x1 = OrtValue.CreateTensorValueFromMemory(frame1, imageShape);
            using var timeValue = OrtValue.CreateTensorValueFromMemory(time, timeShape);
            outputs = _session.Run(runOptions, [_signature.Frame0, _signature.Frame1!, _signature.Time!], [x0, x1, timeValue], [_signature.Output]);
        }
        using (outputs)
        {
            var result = outputs[0].GetTensorDataAsSpan<float>();
            if (result.Length != 3 * plane)
            {
                throw new InvalidOperationException($"{Name} returned {result.Length} values for a {tensorWidth}x{tensorHeight} frame; {3 * plane} were expected");
            }
            result.CopyTo(output);
        }
    }

    /// <summary>Runs the model once on two small grey frames, so a file that loads but cannot run fails at start-up.</summary>
    private void DryRun(string what)
    {
        var side = ImageTensors.PadTo(64, _settings.PadMultiple);
        var a = new float[3 * side * side];
        var b = new float[3 * side * side];
        Array.Fill(a, Transform.Offset[0] + 64 * Transform.Scale[0]);
        Array.Fill(b, Transform.Offset[0] + 192 * Transform.Scale[0]);
        float[]? scratch = null;
        try
        {
            Interpolate(a, b, 0.5f, side, side, ref scratch, new float[3 * side * side]);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidOperationException)
        {
            throw new OnnxModelException($"{what} loads but does not run on two {side}x{side} frames: {e.Message}", e);
        }
    }

    public void Dispose() => _session.Dispose();
}
