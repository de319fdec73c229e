using Reframe.Bench.Wan;

// Usage: dotnet run -c Release --project bench/Reframe.Bench.Wan -- denoise-step [steps]
string scenario = args.Length > 0 ? args[0] : "denoise-step";
switch (scenario)
{
    case "denoise-step":
        int steps = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10;
        Console.WriteLine("== kit pipeline latent (9 frames, 48x64 pixels) ==");
        DenoiseStepBenchmark.Run(steps, (3, 6, 8));
        Console.WriteLine("== larger tiny latent (33 frames, 128x128 pixels) ==");
        DenoiseStepBenchmark.Run(steps, (9, 16, 16));
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (denoise-step)");
        return 1;
}
