namespace Reframe.Onnx.Runtime;

/// <summary>A configured model cannot be used (missing, not ONNX, or not of a supported convention); the message names the file and what to change.</summary>
public sealed class OnnxModelException(string message, Exception? inner = null) : Exception(message, inner);
