using Reframe.Bench.Wan;

// Usage: dotnet run -c Release --project bench/Reframe.Bench.Wan -- <scenario> [iterations]
// The parity kit (tiny weights and tokenizer) is REFRAME_PARITY_DIR, else ../shared/parity beside the repo root.
string scenario = args.Length > 0 ? args[0] : T5Scenario.Name;
int iterations = args.Length > 1 && int.TryParse(args[1], out int n) ? n : 20;
string kit = KitDirectory.Find();
switch (scenario)
{
    case T5Scenario.Name:
        T5Scenario.Run(kit, Console.Out, iterations);
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: {T5Scenario.Name})");
        return 2;
}
