namespace Reframe.Server.Contracts;

/// <summary>
/// Names the POST body's schema in the OpenAPI document. The endpoint reads the JSON itself (so that it can name every
/// bad field, see Validation/), and the schema's properties, defaults, ranges and choices are written from
/// <see cref="Core.Requests.RequestFields"/> by <see cref="OpenApi.RequestSchemaTransformer"/>, so this type has none.
/// </summary>
public sealed record GenerationRequest;
