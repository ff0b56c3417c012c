using System.Runtime.Serialization;
using NtkCluster.Numerics.Partitions;

namespace NtkCluster.Protocol.Serialization;

/// <summary>
/// The wire form of the partition scans' partials (<see cref="CategoryCensus"/>, <see cref="TextLabelPartial"/>).
/// A census's cells are written in ordinal order, so the same census is the same bytes.
/// </summary>
public static class ScanPayloads
{
    public static void WriteCategoryCensus(this PayloadWriter w, CategoryCensus c)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(c);
        w.WriteStrings(c.Columns);
        w.WriteInt64(c.Rows);
        for (int i = 0; i < c.Columns.Length; i++)
        {
            w.WriteBool(c.Text[i]);
            w.WriteBool(c.More[i]);
            var cells = c.Counts[i].Keys.Order(StringComparer.Ordinal).ToArray();
            w.WriteInt32(cells.Length);
            foreach (string cell in cells)
            {
                w.WriteString(cell);
                w.WriteInt64(c.Counts[i][cell]);
            }
        }
    }

    public static CategoryCensus ReadCategoryCensus(this ref PayloadReader r)
    {
        var census = new CategoryCensus(r.ReadStrings("the census columns")) { Rows = r.ReadInt64("the census rows") };
        for (int i = 0; i < census.Columns.Length; i++)
        {
            census.Text[i] = r.ReadBool("whether a column holds text");
            census.More[i] = r.ReadBool("whether a column has too many cells");
            int count = r.ReadInt32("the distinct cells of a column");
            if (count < 0 || count > CategoryCensus.CountLimit)
                throw new SerializationException($"corrupt payload: {count} distinct cells in a census column (at most {CategoryCensus.CountLimit})");
            for (int k = 0; k < count; k++)
            {
                string cell = r.ReadString("a census cell");
                census.Counts[i][cell] = r.ReadInt64("a census count");
            }
        }
        return census;
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
