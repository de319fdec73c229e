using System.Text.Json.Serialization;
using Reframe.Core.Engines;
using Reframe.Core.Tasks;

namespace Reframe.Storage.Sqlite;

/// <summary>The JSON columns' shapes (results and progress), source-generated so reads stay cheap.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TaskResult))]
[JsonSerializable(typeof(TaskProgress))]
internal sealed partial class StorageJson : JsonSerializerContext;
