namespace NtkCluster.Protocol.Messages;

/// <summary>
/// Marker for every message that crosses between NtkCluster nodes: the one interface the project's serializer is
/// bound to, so nothing of ours can silently fall back to a generic serializer.
/// </summary>
public interface INtkMessage;
