using Reframe.Bench.Wan;

// Usage: dotnet run -c Release --project bench/Reframe.Bench.Wan -- <scenario> [argument]
//   denoise-step [steps] [threads]   one denoising step of the tiny DiT loop
//   t5 [runs]              tokenizer throughput and the tiny UMT5 forward
//   vae [iterations]       checkpoint [megabytes]
//   step-cache             acceleration none / low / regular: seconds, steps reused, PSNR against none
//   vae-speed [threads]    VAE encode/decode at 832x480, the previous path against ours
//   conv-guard             the convolution guard's cost on the real VAE's shapes
//   conv-routes [threads]  libtorch's conv3d, conv2d over frames and the direct kernel on the VAEs' channel pairs
//   cost-model             expected minutes per task of the real model on one H100, from the FLOP count
//   expert-forward [threads]  the tiny expert's forward at 72/576/7,800 tokens (bench/wan-overhead/run.sh compares)
string scenario = args.Length > 0 ? args[0] : "denoise-step";
switch (scenario)
{
    case "denoise-step":
        int steps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        if (args.Length > 2)
        {
            // libtorch threads; on a loaded 2-core machine one thread avoids OpenMP barrier waits on tiny ops.
            TorchSharp.torch.set_num_threads(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        }

        Console.WriteLine("== kit pipeline latent (9 frames, 48x64 pixels) ==");
        DenoiseStepBenchmark.Run(steps, (3, 6, 8));
        Console.WriteLine("== larger tiny latent (33 frames, 128x128 pixels) ==");
        DenoiseStepBenchmark.Run(steps, (9, 16, 16));
        return 0;
    case T5Scenario.Name:
        int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
        T5Scenario.Run(KitPaths.Directory, Console.Out, runs);
        return 0;
    case "vae":
        VaeBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5);
        return 0;
    case StepCacheScenario.Name:
        StepCacheScenario.Run(Console.Out);
        return 0;
    case VaeSpeedScenario.Name:
        VaeSpeedScenario.Run(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2);
        return 0;
    case ConvGuardScenario.Name:
        ConvGuardScenario.Run(Console.Out);
        return 0;
    case ConvRoutesScenario.Name:
        TorchSharp.torch.set_num_threads(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2);
        ConvRoutesScenario.Run(Console.Out);
        return 0;
    case ExpertForwardScenario.Name:
        ExpertForwardScenario.Run(Console.Out, args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1);
        return 0;
    case CostModelScenario.Name:
        CostModelScenario.Run(Console.Out);
        return 0;
    case "checkpoint":
        CheckpointBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 512);
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (denoise-step, {T5Scenario.Name}, vae, checkpoint)");
        return 1;
}
