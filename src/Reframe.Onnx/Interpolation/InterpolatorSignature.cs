using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Reframe.Onnx.Runtime;

namespace Reframe.Onnx.Interpolation;

/// <summary>How an interpolation export takes its two frames and the time, read from the file's own input shapes.</summary>
internal enum InterpolatorInputKind
{
    /// <summary>One [1,7,H,W] input: frame 0 RGB, frame 1 RGB, a plane of t (vs-mlrt's RIFE "v2" exports).</summary>
    Concatenated,

    /// <summary>Two image inputs (frame 0 first, in declaration order) and a time input (tf2onnx FILM, RIFE exports with a timestep input).</summary>
    Separate,
}

/// <summary>The convention of one interpolation model: which inputs, which layout, what shape of time.</summary>
internal sealed record InterpolatorSignature(
    InterpolatorInputKind Kind,
    TensorLayout Layout,
    string Frame0,
    string? Frame1,
    string? Time,
    int[] TimeDims,
    string Output)
{
    public const string Supported =
        "supported exports take either one float32 [1,7,H,W] input (frame 0 RGB, frame 1 RGB, a plane of t) or two float32 " +
        "images ([1,3,H,W] or [1,H,W,3]) and a float32 time input, with dynamic height and width, and give one image of the same layout";

    public static InterpolatorSignature Detect(InferenceSession session, string what)
    {
        ArgumentNullException.ThrowIfNull(session);
        var inputs = session.InputNames.Select(n => (Name: n, Meta: session.InputMetadata[n])).ToList();
        if (inputs.Any(i => !i.Meta.IsTensor || i.Meta.ElementDataType != TensorElementType.Float))
        {
            throw Unsupported(what, "an input is not a float32 tensor (half-precision exports are not supported)");
        }
        // tf2onnx keeps a SavedModel's named outputs (FILM's is "image", beside others): take that one when present.
        var imageOutputs = session.OutputNames.Where(n => session.OutputMetadata[n].Dimensions.Length == 4).ToList();
        var output = imageOutputs.FirstOrDefault(n => n == "image") ?? imageOutputs.FirstOrDefault()
            ?? throw Unsupported(what, "no output is an image of rank 4");
        if (inputs.Count == 1 && inputs[0].Meta.Dimensions is [_, 7, var h, var w])
        {
            RequireDynamic(what, h, w);
            return new InterpolatorSignature(InterpolatorInputKind.Concatenated, TensorLayout.Nchw, inputs[0].Name, null, null, [], output);
        }
        if (inputs.Count == 3)
        {
            var images = inputs.Where(i => ImageLayout(i.Meta.Dimensions) is not null).ToList();
            var time = inputs.Where(i => ImageLayout(i.Meta.Dimensions) is null).ToList();
            if (images.Count == 2 && time.Count == 1 && ImageLayout(images[0].Meta.Dimensions) == ImageLayout(images[1].Meta.Dimensions))
            {
                var layout = ImageLayout(images[0].Meta.Dimensions)!.Value;
                var dims = images[0].Meta.Dimensions;
                RequireDynamic(what, layout == TensorLayout.Nchw ? dims[2] : dims[1], layout == TensorLayout.Nchw ? dims[3] : dims[2]);
                return new InterpolatorSignature(InterpolatorInputKind.Separate, layout, images[0].Name, images[1].Name, time[0].Name,
                    time[0].Meta.Dimensions, output);
            }
        }
        throw Unsupported(what, "its inputs are " + string.Join(", ", inputs.Select(i => $"{i.Name} [{string.Join(',', i.Meta.Dimensions)}]")));
    }

    /// <summary>The time tensor's shape for a padded frame: a plane where the model's time is a map, else its declared shape.</summary>
    public long[] TimeShape(int tensorWidth, int tensorHeight)
    {
        if (TimeDims.Length == 4 && (TimeDims[2] != 1 || TimeDims[3] != 1 || TimeDims[1] != 1))
        {
            // [1,1,H,W] (or NHWC [1,H,W,1]) with dynamic sides: a map of t as large as the frame.
            return Layout == TensorLayout.Nchw ? [1, 1, tensorHeight, tensorWidth] : [1, tensorHeight, tensorWidth, 1];
        }
        return TimeDims.Select(d => d > 0 ? (long)d : 1L).ToArray();
    }

    private static TensorLayout? ImageLayout(int[] dims) => dims is [_, 3, _, _] ? TensorLayout.Nchw : dims is [_, _, _, 3] ? TensorLayout.Nhwc : null;

    private static void RequireDynamic(string what, int height, int width)
    {
        if (height > 0 || width > 0)
        {
            throw Unsupported(what, $"its frame size is fixed at {width}x{height}; export it with dynamic height and width");
        }
    }

    private static OnnxModelException Unsupported(string what, string why) => new($"{what} is not an interpolation model Reframe can run: {why}; {Supported}.");
}
