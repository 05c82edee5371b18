fn main() {
    let l = veeam_bench::Loopback::start();
    l.generated_calls(1);
}
