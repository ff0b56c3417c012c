using NtkCluster.Numerics.Partitions;
using NtkCluster.Numerics.Tests.Data;
using Xunit;

namespace NtkCluster.Numerics.Tests.Partitions;

public sealed class ShippedPartitionCacheTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private DateTime _now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public void Dispose() => _dir.Dispose();

    private ShippedPartitionCache NewCache(long capacity, TimeSpan? protect = null) =>
        new(_dir.PathOf("cache"), capacity, protect ?? TimeSpan.FromMinutes(10), () => _now);

    private static string Put(ShippedPartitionCache cache, string key, int bytes)
    {
        string temporary = cache.NewTemporaryPath(key);
        File.WriteAllBytes(temporary, new byte[bytes]);
        return cache.Commit(key, temporary);
    }

    [Fact]
    public void A_committed_copy_is_found_by_its_key_and_no_temporary_file_is_left()
    {
        var cache = NewCache(1000);
        Assert.Null(cache.TryGet("csv/a"));
        string path = Put(cache, "csv/a", 100);
        Assert.Equal(path, cache.TryGet("csv/a"));
        Assert.Equal(100, cache.TotalBytes);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(cache.Directory).Select(Path.GetFileName));
        Assert.EndsWith(".unit", path);
    }

    [Fact]
    public void The_directory_is_made_by_the_first_copy_not_by_the_cache()
    {
        var cache = NewCache(1000);
        Assert.False(Directory.Exists(cache.Directory));
        Assert.Null(cache.TryGet("csv/a"));
        Assert.Equal(0, cache.Count);
        Put(cache, "csv/a", 100);
        Assert.True(Directory.Exists(cache.Directory));
        Assert.Equal(1, NewCache(1000).Count);
    }

    [Fact]
    public void A_cache_whose_directory_was_removed_finds_its_copies_missing_and_takes_new_ones()
    {
        var cache = NewCache(1000);
        Put(cache, "csv/a", 100);
        Directory.Delete(cache.Directory, recursive: true);
        Assert.Null(cache.TryGet("csv/a"));
        string path = Put(cache, "csv/b", 50);
        Assert.Equal(path, cache.TryGet("csv/b"));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Least_recently_used_copies_are_evicted_beyond_the_limit_but_not_recently_used_ones()
    {
        var cache = NewCache(250, TimeSpan.FromMinutes(10));
        Put(cache, "a", 100);
        _now += TimeSpan.FromMinutes(20);
        Put(cache, "b", 100);
        _now += TimeSpan.FromMinutes(20);
        Assert.NotNull(cache.TryGet("a")); // a is now more recently used than b
        _now += TimeSpan.FromMinutes(20);
        Put(cache, "c", 100); // 300 > 250: b, the least recently used, goes
        Assert.Null(cache.TryGet("b"));
        Assert.NotNull(cache.TryGet("a"));
        Assert.NotNull(cache.TryGet("c"));
        Assert.Equal(200, cache.TotalBytes);

        // Both used within the protection window: the cache stays above its limit rather than evict a copy being read.
        Put(cache, "d", 100);
        Assert.Equal(300, cache.TotalBytes);
        Assert.NotNull(cache.TryGet("a"));
        Assert.NotNull(cache.TryGet("c"));
        Assert.NotNull(cache.TryGet("d"));
    }

    [Fact]
    public void A_restarted_worker_finds_its_copies_and_removes_temporary_leftovers()
    {
        var cache = NewCache(1000);
        Put(cache, "a", 10);
        string leftover = cache.NewTemporaryPath("b");
        File.WriteAllBytes(leftover, new byte[5]);

        var again = NewCache(1000);
        Assert.NotNull(again.TryGet("a"));
        Assert.Equal(10, again.TotalBytes);
        Assert.False(File.Exists(leftover));
    }

    [Fact]
    public void A_copy_deleted_behind_the_cache_is_forgotten()
    {
        var cache = NewCache(1000);
        File.Delete(Put(cache, "a", 10));
        Assert.Null(cache.TryGet("a"));
        Assert.Equal(0, cache.TotalBytes);
    }
}
