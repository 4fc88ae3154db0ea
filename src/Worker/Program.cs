using ClusterPool.Worker;

// clusterpool-worker --join HOST:PORT [--slots N] [--app path/to/App.dll]: a worker host for a ClusterPool.
return await WorkerCommand.InvokeAsync(
    WorkerCommand.Create("root", "A ClusterPool worker host: joins a coordinator and runs tasks in its slots."), args);
