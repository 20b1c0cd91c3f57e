//! The machine the figures were measured on, and the process memory readings.

/// One line naming the CPU, its cores, the memory and the kernel.
pub fn describe() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or("unknown CPU", |(_, m)| m.trim())
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let memory_gb = meminfo_kb("MemTotal") as f64 / 1024.0 / 1024.0;
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .map(|k| k.trim().to_owned())
        .unwrap_or_else(|_| std::env::consts::OS.to_owned());
    format!("{model}, {cores} cores available, {memory_gb:.0} GB memory, Linux {kernel}")
}

fn meminfo_kb(field: &str) -> u64 {
    status_field(
        &std::fs::read_to_string("/proc/meminfo").unwrap_or_default(),
        field,
    )
}

/// A field of `/proc/PID/status` in kB (`VmRSS`, `VmHWM`); 0 where there is no such process.
pub fn process_kb(pid: u32, field: &str) -> u64 {
    status_field(
        &std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default(),
        field,
    )
}

/// A field of this process's status in kB.
pub fn own_kb(field: &str) -> u64 {
    process_kb(std::process::id(), field)
}

fn status_field(text: &str, field: &str) -> u64 {
    text.lines()
        .find_map(|line| {
            let rest = line.strip_prefix(field)?.strip_prefix(':')?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or(0)
}

/// Resets this process's peak RSS (VmHWM) to its current RSS (Linux 4.0 and later).
pub fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").ok();
}
