//! Rebuild when the embedded rule pack changes (include_dir does not track it).
fn main() {
    println!("cargo:rerun-if-changed=rules");
}
