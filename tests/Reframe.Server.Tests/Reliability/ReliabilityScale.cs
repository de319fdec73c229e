namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// CI runs a slice of each slow suite; <c>REFRAME_RELIABILITY_FULL=1</c> runs the full sizes of issue 6
/// (see docs/reliability.md).
/// </summary>
public static class ReliabilityScale
{
    public static bool Full => Environment.GetEnvironmentVariable("REFRAME_RELIABILITY_FULL") == "1";

    public static int Pick(int ci, int full) => Full ? full : ci;
}
