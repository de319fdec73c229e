using Reframe.Bench.Gpu;

// bench/gpu/device-check.sh runs this on a lent GPU machine (and prepare.sh runs it here on the CPU as a dry run):
//   WanGpuCheck parity <kit folder> <device>            the tiny parity cases in float32 and bf16
//   WanGpuCheck forward <device> [repeats] [--tiny DIR]  one full-size expert forward (random bf16 weights) at
//                                                         832x480x81, or the tiny parity expert (output to compare)
try
{
    return args.FirstOrDefault() switch
    {
        "parity" when args.Length >= 3 => ParityCheck.Run(args[1], args[2], Console.Out),
        "forward" when args.Length >= 2 => ExpertForward.Run(args[1..], Console.Out),
        _ => Usage(),
    };
}
catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
{
    // The interesting failure on a new machine: TorchSharp's native library against that machine's libtorch.
    Console.WriteLine($"FAILED to initialise TorchSharp against this machine's libtorch: {e.GetType().Name}: {e.Message}");
    Console.WriteLine(e.InnerException?.Message);
    return 3;
}

static int Usage()
{
    Console.Error.WriteLine("usage: WanGpuCheck parity <kit> <cpu|cuda> | forward <cpu|cuda> [repeats] [--tiny <weights folder> <case folder>]");
    return 2;
}
