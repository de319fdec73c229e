using Reframe.Server;

// The one composition root is ReframeApp; a wrong setting or model folder exits with status 1 and a message.
return await ReframeApp.RunAsync(args).ConfigureAwait(false);

/// <summary>Named so tests and benchmarks can find this assembly.</summary>
public partial class Program;
