namespace Reframe.Core.Engines;

/// <summary>What the readiness endpoint says about the engine a worker runs.</summary>
/// <param name="Engine"><c>classic</c> or <c>wan</c>.</param>
/// <param name="Device">Where it computes: <c>cpu</c>, <c>cuda:0</c>...</param>
/// <param name="DType">The weights' dtype (<c>float32</c>, <c>bfloat16</c>), or null for an engine without weights.</param>
/// <param name="Detail">One line more (e.g. the Wan engine's offload mode), or null.</param>
public sealed record EngineStatus(string Engine, string Device, string? DType = null, string? Detail = null);
