using System.CommandLine;
using Reframe.Cli;
using Reframe.Cli.Commands;

var root = new RootCommand("Reframe: put a video on a new canvas and outpaint the new area.");
UxCommands.AddTo(root);
return await CliRunner.RunAsync(root, args);
