using ClusterPool.Worker;

// clusterpool-worker --join HOST:PORT [--slots N] [--app path/to/App.dll]: a worker host for a ClusterPool.
return await WorkerCommand.RunAsync(args);
