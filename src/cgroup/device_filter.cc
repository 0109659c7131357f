// The cgroup v2 device program for a DevicePolicy: one block per exception that jumps to the
// next block on the first field that does not match, then the default verdict. Pure.
#include "nook/cgroup/device_filter.h"

#include <cstdint>

namespace nook::cgroup {

namespace {

// Registers: r1 the context (then scratch), r2 device type, r3 access, r4 major, r5 minor.
constexpr uint8_t kR0 = 0, kR1 = 1, kR2 = 2, kR3 = 3, kR4 = 4, kR5 = 5;

// The offsets of struct bpf_cgroup_dev_ctx's members.
constexpr int16_t kAccessTypeOffset = 0, kMajorOffset = 4, kMinorOffset = 8;

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn load_u32(uint8_t dst, int16_t offset) {
  return insn(BPF_LDX | BPF_MEM | BPF_W, dst, kR1, offset, 0);
}
bpf_insn alu32_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0);
}
// The jump offsets are patched once the block's length is known.
bpf_insn jump32_imm(uint8_t op, uint8_t dst, uint32_t imm) {
  return insn(BPF_JMP32 | op | BPF_K, dst, 0, 0, static_cast<int32_t>(imm));
}
bpf_insn jump32_reg(uint8_t op, uint8_t dst, uint8_t src) {
  return insn(BPF_JMP32 | op | BPF_X, dst, src, 0, 0);
}

void verdict(std::vector<bpf_insn>& out, bool allow) {
  out.push_back(alu32_imm(BPF_MOV, kR0, allow ? 1 : 0));
  out.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

// One block: if every field matches, return the exception's verdict (the reverse of the
// default); any mismatch jumps past the block's end.
void append_exception(std::vector<bpf_insn>& out, const DeviceException& e, bool allow) {
  size_t start = out.size();
  out.push_back(jump32_imm(BPF_JNE, kR2, e.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR));
  if (e.access != kDeviceAllAccess) {
    // r1 = access & exception's bits. The kernel's v1 semantics: an allow must cover every
    // requested bit (r1 == access), a deny refuses on any shared bit (r1 != 0). runc's
    // program treats a deny like an allow, which lets "rw" through a "w" deny.
    out.push_back(mov32_reg(kR1, kR3));
    out.push_back(alu32_imm(BPF_AND, kR1, e.access));
    out.push_back(allow ? jump32_reg(BPF_JNE, kR1, kR3) : jump32_imm(BPF_JEQ, kR1, 0));
  }
  if (e.major != -1) out.push_back(jump32_imm(BPF_JNE, kR4, static_cast<uint32_t>(e.major)));
  if (e.minor != -1) out.push_back(jump32_imm(BPF_JNE, kR5, static_cast<uint32_t>(e.minor)));
  verdict(out, allow);
  // Each jump lands on the first instruction after the block.
  for (size_t i = start; i < out.size(); ++i) {
    if (BPF_CLASS(out[i].code) == BPF_JMP32) out[i].off = static_cast<int16_t>(out.size() - i - 1);
  }
}

}  // namespace

std::vector<bpf_insn> device_filter_program(const DevicePolicy& policy) {
  std::vector<bpf_insn> out = {
      load_u32(kR2, kAccessTypeOffset),  // r2 = device type:
      alu32_imm(BPF_AND, kR2, 0xffff),   //   the low 16 bits of access_type
      load_u32(kR3, kAccessTypeOffset),  // r3 = requested access:
      alu32_imm(BPF_RSH, kR3, 16),       //   the high 16 bits
      load_u32(kR4, kMajorOffset),       // r4 = major
      load_u32(kR5, kMinorOffset),       // r5 = minor
  };

  for (const DeviceException& e : policy.exceptions) {
    append_exception(out, e, !policy.default_allow);
  }
  verdict(out, policy.default_allow);
  return out;
}

}  // namespace nook::cgroup
