using System.Globalization;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Reframe.Wan.Tests;

/// <summary>
/// Runs libtorch single-threaded in this test assembly unless <c>REFRAME_TEST_TORCH_THREADS</c> says otherwise.
/// Measured on the 2-core development machine under load (other test projects and builds running, as in CI):
/// the tiny VAE encode + decode took 1.5-5 s with libtorch's default 2 OpenMP threads and 50-150 ms with one,
/// because every small op waits at an OpenMP barrier for a descheduled worker. The tiny parity models gain
/// nothing from a second thread.
/// </summary>
internal static class TorchTestThreads
{
#pragma warning disable CA2255 // a module initializer is the one place that runs before any test touches libtorch
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Configure()
    {
        string? text = Environment.GetEnvironmentVariable("REFRAME_TEST_TORCH_THREADS");
        int threads = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 1;
        set_num_threads(threads);
    }
}
