using System.CommandLine;
using System.Text.Json;
using Reframe.Cli.Remote;
using Reframe.Client;

namespace Reframe.Cli.Commands;

/// <summary><c>reframe status ID</c> and <c>reframe cancel ID</c>: the other two calls of the contract.</summary>
public static class TaskCommands
{
    public static Command Status()
    {
        var id = new Argument<string>("id") { Description = "the generation id that submit printed" };
        var connection = new ConnectionOptions();
        var command = new Command("status", "Print a task's response object as JSON.") { id };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = connection.CreateClient(parse);
            try
            {
                var state = await client.GetAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(JsonSerializer.Serialize(state, CliJson.Default.Generation));
                return state.Status == GenerationStatus.Error ? ExitCodes.TaskFailed : ExitCodes.Success;
            }
            catch (Exception e) when (e is ReframeApiException or HttpRequestException)
            {
                throw RemoteErrors.Explain(e, client.BaseUri);
            }
        });
        return command;
    }

    public static Command Cancel()
    {
        var id = new Argument<string>("id") { Description = "the generation id that submit printed" };
        var connection = new ConnectionOptions();
        var command = new Command("cancel", "Cancel a queued or running task (it ends in error/cancelled); delete one that has ended.") { id };
        connection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var client = connection.CreateClient(parse);
            try
            {
                var state = await client.CancelAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
                Console.Error.WriteLine(state is null ? "the task had ended: it was deleted, with its result"
                    : state.IsTerminal ? "cancelled"
                    : "cancellation requested; the task stops at its next safe point ('reframe status' shows when)");
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is ReframeApiException or HttpRequestException)
            {
                throw RemoteErrors.Explain(e, client.BaseUri);
            }
        });
        return command;
    }
}
