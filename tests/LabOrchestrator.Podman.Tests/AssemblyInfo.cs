// Every test here drives the one Podman of this 2-core machine; collections running side by side would overload it.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
