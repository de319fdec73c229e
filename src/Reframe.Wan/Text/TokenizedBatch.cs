namespace Reframe.Wan.Text;

/// <summary>
/// Padded token ids and attention mask for a batch, row-major <c>[Count, MaxLength]</c>, as the Hugging Face
/// tokenizer returns them with <c>padding='max_length'</c>. <see cref="SequenceLengths"/> = mask sums.
/// </summary>
public sealed record TokenizedBatch(long[] InputIds, long[] AttentionMask, int[] SequenceLengths, int MaxLength)
{
    public int Count => SequenceLengths.Length;

    public ReadOnlySpan<long> Ids(int row) => InputIds.AsSpan(row * MaxLength, MaxLength);

    public ReadOnlySpan<long> Mask(int row) => AttentionMask.AsSpan(row * MaxLength, MaxLength);
}
