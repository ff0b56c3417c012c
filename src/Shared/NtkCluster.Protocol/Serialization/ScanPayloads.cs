using System.Runtime.Serialization;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The wire form of the partition scans' partials (<see cref="CategoryCensus"/>, <see cref="TextLabelPartial"/>).
/// A census's cells are written in ordinal order, so the same census is the same bytes; a census taken with a split
/// (<see cref="CategoryCensus.Kept"/>) writes its training side's rows after its rows, and each column's training-side
/// counts after its counts, read back in the same order.
/// </summary>
public static class ScanPayloads
{
    public static void WriteCategoryCensus(this PayloadWriter w, CategoryCensus c)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(c);
        w.WriteStrings(c.Columns);
        w.WriteInt64(c.Rows);
        w.WriteBool(c.Kept is not null);
        if (c.Kept is not null) w.WriteInt64(c.KeptRows);
        for (int i = 0; i < c.Columns.Length; i++)
        {
            w.WriteBool(c.Text[i]);
            w.WriteBool(c.More[i]);
            WriteCounts(w, c.Counts[i]);
            if (c.Kept is not null) WriteCounts(w, c.Kept[i]);
        }
    }

    private static void WriteCounts(PayloadWriter w, Dictionary<string, long> counts)
    {
        var cells = counts.Keys.Order(StringComparer.Ordinal).ToArray();
        w.WriteInt32(cells.Length);
        foreach (string cell in cells)
        {
            w.WriteString(cell);
            w.WriteInt64(counts[cell]);
        }
    }

    public static CategoryCensus ReadCategoryCensus(this ref PayloadReader r)
    {
        string[] columns = r.ReadStrings("the census columns");
        long rows = r.ReadInt64("the census rows");
        bool split = r.ReadBool("whether the census counts a split's training side");
        var census = new CategoryCensus(columns, split) { Rows = rows };
        if (split) census.KeptRows = r.ReadInt64("the training side's rows");
        for (int i = 0; i < census.Columns.Length; i++)
        {
            census.Text[i] = r.ReadBool("whether a column holds text");
            census.More[i] = r.ReadBool("whether a column has too many cells");
            ReadCounts(ref r, census.Counts[i]);
            if (census.Kept is not null) ReadCounts(ref r, census.Kept[i]);
        }
        return census;
    }

    private static void ReadCounts(ref PayloadReader r, Dictionary<string, long> counts)
    {
        int count = r.ReadInt32("the distinct cells of a column");
        if (count < 0 || count > CategoryCensus.CountLimit)
            throw new SerializationException($"corrupt payload: {count} distinct cells in a census column (at most {CategoryCensus.CountLimit})");
        for (int k = 0; k < count; k++)
        {
            string cell = r.ReadString("a census cell");
            counts[cell] = r.ReadInt64("a census count");
        }
    }

    public static void WriteTextLabelPartial(this PayloadWriter w, TextLabelPartial p)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(p);
        w.WriteBool(p.HasColumn);
        w.WriteBool(p.Numbers);
        w.WriteStrings(p.Texts);
        w.WriteInt64(p.Rows);
    }

    public static TextLabelPartial ReadTextLabelPartial(this ref PayloadReader r) =>
        new(r.ReadBool("whether the label column is there"), r.ReadBool("whether the labels are numbers"), r.ReadStrings("the text labels"),
            r.ReadInt64("the rows scanned"));
}
