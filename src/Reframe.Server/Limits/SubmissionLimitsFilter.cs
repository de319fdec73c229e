using System.Collections.Concurrent;
using System.Globalization;
using Reframe.Core.Tasks;
using Reframe.Server.Auth;
using Reframe.Server.Errors;

namespace Reframe.Server.Limits;

/// <summary>
/// On <c>POST /v2/video/generations</c>, after the key check: 429 with the contract's error body and a
/// <c>Retry-After</c> header when the key is over its submission rate or already has its maximum of queued and
/// generating tasks. One instance for the app (its per-key gates must be shared by all requests). Reads (GET, DELETE, events) are not limited, so a client over its limit can still watch
/// and cancel what it has.
/// </summary>
public sealed class SubmissionLimitsFilter(SubmissionLimitSettings settings, KeyRateLimiter rate, ITaskStore store) : IEndpointFilter
{
    /// <summary>What a client waits before retrying when its active-task limit is full: tasks take seconds to minutes.</summary>
    public static readonly TimeSpan ActiveLimitRetryAfter = TimeSpan.FromSeconds(10);

    // One gate per owner, so two concurrent POSTs of one key to this node cannot both pass a count of max-1. (Two API
    // nodes may each let one through at the limit: the cap is a guard against runaway clients, not an invoice.)
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var owner = Caller.Of(http).OwnerId;
        if (rate.TryAcquire(owner) is { } wait)
        {
            return TooMany(http, wait, $"Too many requests: this key may submit {settings.RatePerMinute} generations per minute " +
                                       "(REFRAME_RATE_LIMIT_PER_MINUTE). Retry after the time in the Retry-After header.");
        }
        if (settings.MaxActiveTasksPerKey <= 0)
        {
            return await next(context).ConfigureAwait(false);
        }
        var gate = _gates.GetOrAdd(owner, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            var active = await store.CountActiveAsync(owner, http.RequestAborted).ConfigureAwait(false);
            if (active >= settings.MaxActiveTasksPerKey)
            {
                return TooMany(http, ActiveLimitRetryAfter,
                    $"Too many requests: this key already has {active} queued or generating generations, the most allowed " +
                    $"(REFRAME_MAX_ACTIVE_TASKS_PER_KEY = {settings.MaxActiveTasksPerKey}). Retry when one has ended.");
            }
            return await next(context).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static IResult TooMany(HttpContext http, TimeSpan wait, string message)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return ApiErrors.Create(http, StatusCodes.Status429TooManyRequests, message);
    }
}
