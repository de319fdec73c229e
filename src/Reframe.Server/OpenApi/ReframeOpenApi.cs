using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Reframe.Server.Tasks;

namespace Reframe.Server.OpenApi;

/// <summary>
/// What the generated OpenAPI document cannot know from the endpoints alone: the bearer key every <c>/v2</c> call needs
/// (a security scheme, so the docs page asks for the key and sends the header), what the query parameters mean, and
/// examples a reader can send as they are.
/// </summary>
public static class ReframeOpenApi
{
    public const string SchemeId = "Bearer";

    // In a code span: Markdown renderers (the docs page) would otherwise take "<key>" for an HTML tag and drop it.
    public const string AuthHint = "Send the header `Authorization: Bearer <key>` on every /v2 call (the key is one of REFRAME_API_KEYS, or one added with `reframe keys add`).";

    private const string GenerationsPath = "/v2/video/generations";
    private const string ExampleId = "8a1c5f0e-2b7d-4c1a-9e3f-6d4b2a1c0f9e:alibaba/wan2.2-vace-fun-a14b-reframe";

    public static Task TransformAsync(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Info.Title = "Reframe";
        document.Info.Description = "The alibaba/wan2.2-vace-fun-a14b-reframe contract of the hosted AIML API, self-hosted. " + AuthHint;

        document.AddComponent(SchemeId, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = AuthHint,
        });
        var requirement = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] };
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/v2/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue; // health, metrics, files (the token in the URL is the capability) need no key
            }
            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [requirement];
                Describe(operation.Parameters);
            }
        }
        AddExamples(document);
        return Task.CompletedTask;
    }

    private static void Describe(IList<IOpenApiParameter>? parameters)
    {
        foreach (var parameter in (parameters ?? []).OfType<OpenApiParameter>())
        {
            (parameter.Description, parameter.Example) = parameter.Name switch
            {
                "generation_id" => ("The id the POST answered: <uuid>:alibaba/wan2.2-vace-fun-a14b-reframe.", (JsonNode?)ExampleId),
                "limit" => ("Tasks per page, 1..100 (default 20).", 20),
                "cursor" => ("The next_cursor of the previous page; absent for the newest page.", null),
                "status" => ("Only tasks in this status: queued, generating, completed or error.", "completed"),
                _ => (parameter.Description, parameter.Example),
            };
            if (parameter.Name == "generation_id")
            {
                parameter.Required = true;
            }
        }
    }

    private static void AddExamples(OpenApiDocument document)
    {
        if (document.Paths.TryGetValue(GenerationsPath, out var item) && item.Operations is { } operations)
        {
            if (operations.TryGetValue(HttpMethod.Post, out var post))
            {
                if (post.RequestBody?.Content?.TryGetValue("application/json", out var body) == true)
                {
                    body.Example = new JsonObject
                    {
                        ["model"] = "alibaba/wan2.2-vace-fun-a14b-reframe",
                        ["video_url"] = "https://example.com/clip.mp4",
                        ["prompt"] = "a wide beach at sunset, waves rolling in",
                        ["aspect_ratio"] = "16:9",
                        ["resolution"] = "480p",
                        ["seed"] = 1234,
                    };
                }
                post.Parameters ??= [];
                post.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyKeys.Header,
                    In = ParameterLocation.Header,
                    Description = "Optional. The same key with the same body returns the task it created; with another body, 422. Scoped to your API key, kept as long as the task.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyKeys.MaxLength },
                    Example = "order-17-retry-safe",
                });
            }
            if (operations.TryGetValue(HttpMethod.Get, out var get)
                && get.Responses?.TryGetValue("200", out var ok) == true && ok.Content?.TryGetValue("application/json", out var answer) == true)
            {
                answer.Example = new JsonObject
                {
                    ["id"] = ExampleId,
                    ["status"] = "completed",
                    ["video"] = new JsonObject
                    {
                        ["url"] = "https://reframe.example.com/files/Yk3q9aZ0vJm8x1cQ4nF2tLr7uWb5eHs6dKg0pAiVoMy.mp4",
                        ["content_type"] = "video/mp4", ["file_size"] = 48213, ["width"] = 832, ["height"] = 480,
                        ["fps"] = 16, ["num_frames"] = 33, ["duration"] = 2.0625,
                    },
                    ["error"] = null,
                    ["meta"] = new JsonObject { ["usage"] = new JsonObject { ["credits_used"] = 206250 }, ["seed"] = 1234, ["engine"] = "classic" },
                    ["expires_at"] = "2026-01-02T10:00:00.000Z",
                };
            }
        }
    }
}
