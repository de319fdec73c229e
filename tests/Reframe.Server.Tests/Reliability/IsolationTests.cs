using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Reframe.Server.Tests.Infrastructure;

namespace Reframe.Server.Tests.Reliability;

/// <summary>
/// Issue 6 point 7, against the built service in its own process with Debug logging: another key's task id gets the
/// same 404 as an unknown id on GET, DELETE and the event stream; result URLs carry 256 random bits and a guessed
/// or altered one is a 404; and across the whole run no key, key hash or owner id appears in the service's output.
/// </summary>
public sealed class IsolationTests
{
    private const string KeyA = "isolation-key-alpha-7d1f0c2e9b";
    private const string KeyB = "isolation-key-bravo-3a8e6f1d44";
    private const string WrongKey = "isolation-key-wrong-5c0b9e7a21";

    [Fact]
    [Trait("Category", "Slow")]
    public async Task OtherKeys_GetOnly404s_AndNoKeyIsEverLogged()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "reframe-isolation-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string?>
        {
            ["REFRAME_API_KEYS"] = $"{KeyA},{KeyB}", ["REFRAME_WORKERS"] = "1", ["REFRAME_ALLOW_PRIVATE_URLS"] = "true",
            ["REFRAME_POLL_MS"] = "100", ["Logging__LogLevel__Default"] = "Debug",
        };
        try
        {
            var clip = await Tools.DataUriAsync(await Tools.ClipAsync(64, 48, 5, 8));
            var body = new { model = ApiClient.Model, video_url = clip, aspect_ratio = "1:1", video_write_mode = "fast" };
            IReadOnlyCollection<string> log;
            await using (var server = await ChildServer.StartAsync(dataDir, env))
            {
                using var a = server.Client(KeyA);
                using var b = server.Client(KeyB);
                using var wrong = server.Client(WrongKey);
                var idA = await a.SubmitAsync(body);
                var idA2 = await a.SubmitAsync(body);
                var doneA = await a.WaitForEndAsync(idA, TimeSpan.FromMinutes(2));
                Assert.Equal("completed", doneA["status"]!.GetValue<string>());
                var unknown = Guid.NewGuid().ToString("D") + ":" + ApiClient.Model;

                // B sees A's tasks exactly as it sees an id that does not exist: no oracle.
                foreach (var id in new[] { idA, idA2 })
                {
                    var (status, answer, _) = await b.GetAsync(id);
                    var (unknownStatus, unknownAnswer, _) = await b.GetAsync(unknown);
                    Assert.Equal(HttpStatusCode.NotFound, status);
                    Assert.Equal(unknownStatus, status);
                    Assert.Equal(unknownAnswer!["message"]!.GetValue<string>(), answer!["message"]!.GetValue<string>());
                    Assert.Equal(HttpStatusCode.NotFound, (await b.CancelAsync(id)).Status);
                    using var events = await b.Http.GetAsync("/v2/video/generations/events?generation_id=" + Uri.EscapeDataString(id));
                    Assert.Equal(HttpStatusCode.NotFound, events.StatusCode);
                }
                // B's cancel did nothing: A's second task still runs to the end.
                Assert.Equal("completed", (await a.WaitForEndAsync(idA2, TimeSpan.FromMinutes(2)))["status"]!.GetValue<string>());
                Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(idA)).Status);

                // Result URLs: 256 random bits; guessed, altered or traversing names are 404s.
                var url = new Uri(doneA["video"]!["url"]!.GetValue<string>());
                var token = Path.GetFileNameWithoutExtension(url.AbsolutePath);
                Assert.True(Base64Url.DecodeFromChars(token).Length * 8 >= 128);
                Assert.Equal(32, Base64Url.DecodeFromChars(token).Length);
                using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };
                Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url.AbsolutePath)).StatusCode);
                var altered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
                var guesses = new[]
                {
                    "/files/" + altered + ".mp4", "/files/" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)) + ".mp4",
                    "/files/" + token[..^1] + ".mp4", "/files/" + token + ".mp4.bak", "/files/" + token.ToUpperInvariant() + ".mp4",
                    "/files/..%2Freframe.db", "/files/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/files/" + token, "/results/" + token + ".mp4",
                };
                foreach (var guess in guesses)
                {
                    using var response = await anonymous.GetAsync(guess);
                    Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{guess}: {(int)response.StatusCode}");
                }
                var tokens = new HashSet<string>(StringComparer.Ordinal) { token };
                var doneA2 = await a.GetAsync(idA2);
                Assert.True(tokens.Add(Path.GetFileNameWithoutExtension(new Uri(doneA2.Body!["video"]!["url"]!.GetValue<string>()).AbsolutePath)));
                log = server.Output;
            }

            var text = string.Join('\n', log);
            Assert.Contains("accepted", text, StringComparison.Ordinal); // the capture really holds the service's log
            Assert.Contains("dbug:", text, StringComparison.Ordinal);
            foreach (var key in new[] { KeyA, KeyB, WrongKey })
            {
                var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
                foreach (var secret in new[]
                         {
                             key, key[..12], Convert.ToHexStringLower(hash), Convert.ToHexString(hash), Convert.ToHexStringLower(hash.AsSpan(0, 16)),
                             Convert.ToHexStringLower(hash.AsSpan(0, 8)), Convert.ToBase64String(hash), Base64Url.EncodeToString(hash),
                         })
                {
                    Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
