using System.CommandLine;
using Reframe.Cli;
using Reframe.Cli.Commands;

// Each command lives in its own file under Commands/ and is added here; nothing else in this file.
var root = new RootCommand("reframe: reframe a video onto a new canvas and fill the new area (the Reframe service, locally).")
{
    RunCommand.Create(),
};
UxCommands.AddTo(root);
return await CliRunner.RunAsync(root, args);
