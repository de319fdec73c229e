using Reframe.Cli.Commands;
namespace Reframe.Cli;

/// <summary>A failure with a message a person can act on and the exit code to end with; printed without a stack trace.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
