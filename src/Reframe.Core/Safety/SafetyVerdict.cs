namespace Reframe.Core.Safety;

/// <summary>What a checker found in one file.</summary>
/// <param name="Flagged">Some frame scored above the operator's threshold.</param>
/// <param name="HighestScore">The highest flagged-class score over the frames checked (0..1 for probabilities).</param>
/// <param name="FramesChecked">How many frames were classified.</param>
/// <param name="FlaggedFrame">The index, among the sampled frames, of the first flagged one.</param>
public sealed record SafetyVerdict(bool Flagged, double HighestScore, int FramesChecked, int? FlaggedFrame = null);
