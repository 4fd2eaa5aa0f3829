namespace GemeinsamDigital.Api.Http;

/// <summary>
/// A list answered whole, in the envelope of a cursor list: its items and the link to the next
/// part, which is null because there is none. Every list has one of two envelopes: paged lists
/// {items, page, pageSize, total, pageCount}, cursor lists {items, next}.
/// </summary>
/// <param name="Items">The list's items.</param>
/// <param name="Next">Link to the next part; always null here (the list is complete).</param>
public sealed record ItemList<T>(IReadOnlyList<T> Items, string? Next = null);
