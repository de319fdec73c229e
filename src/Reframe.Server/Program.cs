using Reframe.Server;

// Composition only: see ReframeApp (reused by other hosts, e.g. one with the Wan engine).
await ReframeApp.Configure(ReframeApp.CreateBuilder(args).Build()).RunAsync().ConfigureAwait(false);

/// <summary>Named so tests and benchmarks can find this assembly.</summary>
public partial class Program;
