using System.Net;
using System.Text.Json.Nodes;

namespace Reframe.Server.Tests.Infrastructure;

/// <summary>
/// Catches the service with a task mid-generation (status <c>generating</c>, stage <c>generating</c> or
/// <c>encoding</c>), for tests that kill or stop it there. A small task can pass through those stages between two
/// polls on a fast machine, so the wait keeps work queued: whenever fewer than the asked number of tasks are waiting,
/// it submits another (and adds it to the test's list). It never ends on an idle queue.
/// </summary>
public static class MidGeneration
{
    public static async Task<string> WaitForOneAsync(ApiClient client, List<string> ids, object body, int keepQueued = 1)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var ended = new HashSet<string>(StringComparer.Ordinal);
        while (DateTime.UtcNow < until)
        {
            var queued = 0;
            string? caught = null;
            foreach (var id in ids.Where(i => !ended.Contains(i)).ToList())
            {
                var (status, task, _) = await client.GetAsync(id);
                Assert.Equal(HttpStatusCode.OK, status);
                if (IsMidGeneration(task!))
                {
                    caught ??= id;
                    continue;
                }
                switch (task!["status"]!.GetValue<string>())
                {
                    case "queued":
                        queued++;
                        break;
                    case "completed" or "error":
                        ended.Add(id);
                        break;
                }
            }
            if (caught is not null && queued >= keepQueued)
            {
                return caught; // one generating and enough waiting, seen in the same pass
            }
            if (queued < keepQueued)
            {
                ids.Add(await client.SubmitAsync(body));
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"no task was seen mid-generation in 2 minutes ({ids.Count} submitted)");
    }

    public static bool IsMidGeneration(JsonNode task) =>
        task["status"]!.GetValue<string>() == "generating"
        && task["meta"]?["progress"]?["stage"]?.GetValue<string>() is "generating" or "encoding";
}
