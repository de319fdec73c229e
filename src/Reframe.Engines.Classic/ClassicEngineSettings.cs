namespace Reframe.Engines.Classic;

/// <summary>The look of the classic fill. Defaults give the familiar "blurred copy behind the clip" result.</summary>
public sealed record ClassicEngineSettings
{
    /// <summary>The background is computed on a grid this many times coarser than the canvas (speed; the blur hides it).</summary>
    public int GridDownscale { get; init; } = 8;

    /// <summary>Box radius in grid cells of each blur pass.</summary>
    public int BlurRadius { get; init; } = 3;

    /// <summary>Box passes (3 approximates a Gaussian).</summary>
    public int BlurPasses { get; init; } = 3;

    /// <summary>Weight of the previous background in the temporal smoothing (0: none; closer to 1: steadier).</summary>
    public float TemporalSmoothing { get; init; } = 0.75f;

    /// <summary>A mean change of the grid above this (0..255) is a scene cut: the smoothing restarts instead of smearing.</summary>
    public float SceneCutThreshold { get; init; } = 30f;

    /// <summary>Brightness of the fill relative to the content (below 1 sets the content apart).</summary>
    public float FillBrightness { get; init; } = 0.85f;

    /// <summary>Frames over which a first/last frame anchor fades into the blurred fill.</summary>
    public int AnchorFadeFrames { get; init; } = 12;
}
