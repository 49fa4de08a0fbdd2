namespace ValueBot.Domain.Common;

/// <summary>A validation problem with one input field, in words an owner or admin can act on.</summary>
public sealed record FieldError(string Field, string Message);
