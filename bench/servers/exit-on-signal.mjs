// Preloaded (node --import) into a baseline server only when profiling: a server that dies of
// SIGTERM writes no --cpu-prof profile, one that exits does.
process.on("SIGTERM", () => process.exit(0));
