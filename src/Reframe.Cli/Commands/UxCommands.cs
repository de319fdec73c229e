using System.CommandLine;

namespace Reframe.Cli.Commands;

/// <summary>The commands of the client side of the CLI (submit, status, cancel, keys), added to the root in one call.</summary>
public static class UxCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(TaskCommands.Status());
        root.Subcommands.Add(TaskCommands.Cancel());
        root.Subcommands.Add(KeysCommand.Create());
    }
}
