using System.Collections;

namespace GemeinsamDigital.Domain.Measures;

/// <summary>
/// Appends to an immutable list in amortised O(1), so folding a stream of n measurements costs
/// O(n) instead of copying the whole list per event (O(n²)). Every list it returns is a fixed
/// view: later appends never change what an earlier state sees.
/// </summary>
public static class AppendOnlyList
{
    /// <summary>A new list: <paramref name="list"/> followed by <paramref name="item"/>; <paramref name="list"/> is left as it was.</summary>
    public static IReadOnlyList<T> Append<T>(IReadOnlyList<T> list, T item) => AppendOnlyList<T>.Append(list, item);
}

/// <summary>
/// A view of the first <see cref="Count"/> items of a buffer that several views share. Appending
/// to the longest view writes into the buffer's free tail (claimed atomically, so two appends to
/// the same view never share a slot); appending to any other view, or to a full buffer, copies.
/// Serialized (System.Text.Json, Marten) as a plain array; read back as a List.
/// </summary>
public sealed class AppendOnlyList<T> : IReadOnlyList<T>
{
    private readonly Buffer _buffer;
    private readonly int _count;

    private AppendOnlyList(Buffer buffer, int count)
    {
        _buffer = buffer;
        _count = count;
    }

    public int Count => _count;

    public T this[int index] => (uint)index < (uint)_count ? _buffer.Items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    internal static AppendOnlyList<T> Append(IReadOnlyList<T> list, T item)
    {
        if (list is AppendOnlyList<T> view
            && view._count < view._buffer.Items.Length
            && Interlocked.CompareExchange(ref view._buffer.Used, view._count + 1, view._count) == view._count)
        {
            view._buffer.Items[view._count] = item;
            return new AppendOnlyList<T>(view._buffer, view._count + 1);
        }
        var count = list.Count;
        var items = new T[Math.Max(4, count * 2)];
        if (list is AppendOnlyList<T> shared)
        {
            Array.Copy(shared._buffer.Items, items, count);
        }
        else
        {
            var i = 0;
            foreach (var existing in list)
            {
                items[i++] = existing;
            }
        }
        items[count] = item;
        return new AppendOnlyList<T>(new Buffer(items, count + 1), count + 1);
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
        {
            yield return _buffer.Items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class Buffer(T[] items, int used)
    {
        public readonly T[] Items = items;

        // How many slots some view has claimed; only ever grows.
        public int Used = used;
    }
}
