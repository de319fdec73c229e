using Reframe.Core.Configuration;
using Reframe.Cli.Commands;
using System.CommandLine;
using Reframe.Cli.Keys;

namespace Reframe.Cli;

/// <summary>
/// Parses and invokes, turning parse errors into exit code 2 and the failures a person can fix
/// (<see cref="CliException"/>, a bad keys file) into one line on standard error instead of a stack trace.
/// </summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                Console.Error.WriteLine($"reframe: {error.Message}");
            }
            Console.Error.WriteLine("Try 'reframe --help' or 'reframe <command> --help'.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"reframe: {e.Message}");
            return e.ExitCode;
        }
        catch (SettingException e)
        {
            Console.Error.WriteLine($"reframe: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (InvalidOperationException e) when (e.Source?.StartsWith("Reframe.Storage", StringComparison.Ordinal) == true)
        {
            // A key store the operator can fix (a malformed keys file line, a database URL that does not parse).
            Console.Error.WriteLine($"reframe: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (System.Data.Common.DbException e)
        {
            Console.Error.WriteLine($"reframe: the database did not answer: {e.Message}");
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("reframe: interrupted");
            return ExitCodes.Cancelled;
        }
    }
}
