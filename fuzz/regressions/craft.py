#!/usr/bin/env python3
"""Makes the pack_resealed reproducers in this folder from the real packs.

They are edit lists against the packs `make packs` builds from this tree
(pack format 2); a change of the pack layout moves the offsets, so rerun
`python3 fuzz/regressions/craft.py [PACKS_DIR]` after one (from the
repository root). Each file: byte 0 = pack (0 icd10cm, 1 icd10pcs, 2 hcpcs,
3 icd9cm, 4 icd9proc), then 8-byte edits [op, where, offset u32, value u16]
(see fuzz/fuzz_targets/pack_resealed.rs).
"""
import re, struct, sys

PACKS = sys.argv[1] if len(sys.argv) > 1 else "packs"
R = "fuzz/regressions/pack_resealed/"
def varint(b, pos):
    v=0; s=0
    while True:
        x=b[pos]; pos+=1
        v |= (x&0x7f)<<s
        if x&0x80==0: return v,pos
        s+=7
class PackInfo:
    def __init__(self, path):
        b=self.b=open(path,'rb').read()
        self.header_len=struct.unpack_from('<H',b,10)[0]
        self.record_count=struct.unpack_from('<I',b,28)[0]
        rl=struct.unpack_from('<H',b,36)[0]; cnt=struct.unpack_from('<H',b,38)[0]
        t=(40+rl+3)&~3
        self.sections=[]
        for i in range(cnt):
            tag=b[t+12*i:t+12*i+4].decode(); off,ln=struct.unpack_from('<II',b,t+12*i+4)
            self.sections.append((tag,off,ln))
        self.sec={}
        for i,(tag,off,ln) in enumerate(self.sections):
            self.sec.setdefault(tag,(i,off,ln))
    def section(self,tag):
        i,off,ln=self.sec[tag]; return self.b[off:off+ln]
    def rows(self):
        r=self.section('RECS'); n=struct.unpack_from('<I',r,0)[0]
        words=r[4:4+4*n]; blocks=(n+15)//16+1
        starts=r[4+4*n:4+4*n+4*blocks]; lens=r[4+4*n+4*blocks:]
        out=[]
        for i in range(n):
            w=struct.unpack_from('<I',words,4*i)[0]
            blk=i//16; off=struct.unpack_from('<I',starts,4*blk)[0]
            for j in range(blk*16,i): off+=struct.unpack_from('<H',lens,2*j)[0]
            out.append((w,off))
        return out
    def stored_ids(self):
        if 'CMPD' not in self.sec: return list(range(self.record_count))
        c=self.section('CMPD'); wc=struct.unpack_from('<I',c,4)[0]
        ids=[]
        for w in range(wc):
            word=struct.unpack_from('<Q',c,8+8*w)[0]
            for bit in range(64):
                i=w*64+bit
                if i<self.record_count and not (word>>bit)&1: ids.append(i)
        return ids
    def table(self,tag,skip=0):
        s=self.section(tag)[skip:]; n=struct.unpack_from('<I',s,0)[0]
        offs=[struct.unpack_from('<I',s,4+4*i)[0] for i in range(n+1)]
        data_start=4+4*(n+1)
        return n,offs,data_start
def edit(op, where, offset, value):
    return struct.pack('<BBIH', op, where, offset & 0xFFFFFFFF, value & 0xFFFF)


# 1. PCS: LSET set 531 re-read as one row of 4 axes of 126-250 labels (2e9
#    composed children), and made the set of set 0 (table 001, header id 2).
p=PackInfo(PACKS + '/icd10pcs.pack')
sel=p.sec['LSET'][0]
n,offs,ds=p.table('LSET')
lset=p.section('LSET')
S=531
base=ds+offs[S]
e=lset[base:ds+offs[S+1]]
vals=[];pos=0
while pos<len(e):
    v,np_=varint(e,pos); vals.append((pos,np_-pos,v)); pos=np_
edits=[edit(2,sel,4,offs[S]), edit(2,sel,8,offs[S+1])]
def setvar(pos, length, value):
    # write value as a varint of exactly `length` bytes (non-canonical allowed)
    bs=[]
    for i in range(length):
        b=value&0x7f; value>>=7
        bs.append(b | (0x80 if i<length-1 else 0))
    assert value==0
    for i,b in enumerate(bs): edits.append(edit(0,sel,base+pos+i,b))
setvar(vals[0][0], vals[0][1], 1)     # rows = 1
setvar(vals[1][0], vals[1][1], 4)     # axes = 4
counts=[]; i=2
for k in range(4):
    pos,ln,_=vals[i]
    want = 127 if ln==1 else 250
    # next count must land on a 2-byte varint for the next axes (except after the last)
    nk=want
    if k<3:
        while vals[i+1+nk][1]!=2: nk-=1
    setvar(pos,ln,nk); counts.append(nk); i=i+1+nk
prod=1
for c in counts: prod*=c
print('counts',counts,'product',prod,'edits',len(edits), file=sys.stderr)
assert prod < 2**32 and len(edits)<=64
open(R + 'pcs-composed-count-huge-alloc', 'wb').write(bytes([1]) + b''.join(edits))
# 1. iso_date on a non-ASCII 8-byte date: HCPCS date pieces "YYYYMMDD" -> "YYYé" + 3 bytes
p=PackInfo(PACKS + '/hcpcs.pack')
sel=p.sec['WORD'][0]
w=p.section('WORD'); cnt=struct.unpack_from('<I',w,0)[0]; sl=((cnt+15)//16+1)*4; base=4+sl; data=w[base:]
pos=0; edits=[]
while pos<len(data) and len(edits)<64:
    l,pos2=varint(data,pos); s=data[pos2:pos2+l]
    if re.fullmatch(rb'(19|20)\d{6}', s):
        edits.append(edit(0,sel,base+pos2+3,0xC3)); edits.append(edit(0,sel,base+pos2+4,0xA9))
    pos=pos2+l
open(R+'hcpcs-iso-date-non-ascii','wb').write(bytes([2])+b''.join(edits))
# 2. CMPD rank sample 0 set to u32::MAX (icd10cm): rank0 overflows for ids 1..63
p=PackInfo(PACKS + '/icd10cm.pack')
i,off,ln=p.sec['CMPD']; c=p.section('CMPD'); wc=struct.unpack_from('<I',c,4)[0]
open(R+'icd10cm-cmpd-rank-sample-max','wb').write(bytes([0])+edit(3,i,8+8*wc,0))
# 3. PCS table 001 (header id 2, LSET set 0): 2 rows, the second with 3 axes instead of 4
p=PackInfo(PACKS + '/icd10pcs.pack')
sel=p.sec['LSET'][0]; n,offs,ds=p.table('LSET')
b0=ds+offs[0]
open(R+'pcs-axis-choices-short-row','wb').write(bytes([1])+edit(0,sel,b0+0,2)+edit(0,sel,b0+24,3))
