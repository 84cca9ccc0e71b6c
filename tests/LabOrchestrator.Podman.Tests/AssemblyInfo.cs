// Every test here drives the one Podman of this 2-core machine; collections running side by side would overload it,
// and one collection's deletes would open the netavark 1.4 isolation gap (see NetavarkIsolationRepair) under another's checks.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
