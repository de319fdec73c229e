using Reframe.Core.Requests;

namespace Reframe.Server.Validation;

/// <summary>Either the options (no errors) or the list of every bad field.</summary>
public sealed record ValidationResult(GenerationOptions? Options, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Options is not null && Errors.Count == 0;
}
