namespace Reframe.Wan.Pipelines;

/// <summary>
/// The two experts. Named by role: the VideoX-Fun pipeline calls the high-noise one <c>transformer_2</c> and the
/// low-noise one <c>transformer</c> (diffusers the opposite), which is easy to mix up.
/// </summary>
public enum ExpertKind
{
    HighNoise,
    LowNoise,
}

/// <summary>The MoE switch: the high-noise expert while <c>t >= 0.875 * 1000</c> (inclusive), the low-noise one after.</summary>
public static class ExpertSwitch
{
    public const double Boundary = 0.875;
    public const double TrainTimesteps = 1000;

    public static ExpertKind ForTimestep(double timestep) =>
        timestep >= Boundary * TrainTimesteps ? ExpertKind.HighNoise : ExpertKind.LowNoise;
}
