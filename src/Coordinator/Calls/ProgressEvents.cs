namespace ClusterPool.Calls;

/// <summary>Turns an <see cref="EventHandler{T}"/> into a tracker listener, the same one each time for the same handler
/// (so remove works).</summary>
internal static class ProgressEvents
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EventHandler<CallProgress>,
        Action<CallProgress>> Listeners = new();

    public static Action<CallProgress> Listener(object sender, EventHandler<CallProgress> handler) =>
        Listeners.GetValue(handler, h => progress => h(sender, progress));
}
