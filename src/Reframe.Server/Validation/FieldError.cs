namespace Reframe.Server.Validation;

/// <summary>One violated rule: the field, what the contract expects, and what was received (abridged).</summary>
public sealed record FieldError(string Field, string Expected, string Received);
