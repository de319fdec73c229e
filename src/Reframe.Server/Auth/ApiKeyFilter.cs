using Reframe.Server.Errors;

namespace Reframe.Server.Auth;

/// <summary>Requires <c>Authorization: Bearer &lt;key&gt;</c> on every <c>/v2</c> call and records who called.</summary>
public sealed class ApiKeyFilter : IEndpointFilter
{
    private const string Scheme = "Bearer ";
    private readonly ApiKeyRing _keys;

    public ApiKeyFilter(ApiKeyRing keys) => _keys = keys;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var owner = header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? await _keys.AuthenticateAsync(header[Scheme.Length..].Trim(), http.RequestAborted).ConfigureAwait(false)
            : null;
        if (owner is null)
        {
            return ApiErrors.Unauthorized(http);
        }
        http.Features.Set(new Caller(owner));
        return await next(context).ConfigureAwait(false);
    }
}

/// <summary>The authenticated caller: the owner id derived from its key.</summary>
public sealed record Caller(string OwnerId)
{
    public static Caller Of(HttpContext context) =>
        context?.Features.Get<Caller>() ?? throw new InvalidOperationException("the endpoint is missing the ApiKeyFilter");
}
