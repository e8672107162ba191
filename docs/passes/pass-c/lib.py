import json, hashlib
ROOT='/work/wt/blind-c'
def load(doc):
    return open(f'{ROOT}/corpus/texts/{doc}.txt', encoding='utf-8').read()

class Doc:
    def __init__(self, doc_id):
        self.id = doc_id
        self.text = load(doc_id)
        self.attrs=[]; self.claims=[]; self.cues=[]
    def span(self, s, ctx=None, occ=0):
        t = self.text
        if ctx is None:
            n = t.count(s)
            assert n >= 1, f'not found: {s!r}'
            if n > 1 and occ == 0 and not hasattr(self,'_allow'):
                raise AssertionError(f'ambiguous ({n}): {s!r}')
            i = -1
            for _ in range(occ+1):
                i = t.index(s, i+1)
        else:
            assert t.count(ctx) == 1, f'ctx count {t.count(ctx)}: {ctx!r}'
            c = t.index(ctx)
            assert s in ctx, (s, ctx)
            i = c + ctx.index(s)
        assert t[i:i+len(s)] == s
        assert s == s.strip(), repr(s)
        return {'start': i, 'end': i+len(s), 'text': s}
    def attr(self, key, source, cue, content, stype, form, parc, hyp, ac, parent=None, note=None, sctx=None, cctx=None, kctx=None):
        self.attrs.append(dict(key=key, source=None if source is None else self.span(source, sctx),
            cue=self.span(cue, cctx), content=self.span(content, kctx), source_type=stype, form=form,
            parc_type=parc, parent=parent, hypothetical=hyp, author_commitment=ac, note=note))
    def claim(self, key, s, ctype, cert, pol, holder, stance, note=None, ctx=None):
        sp = self.span(s, ctx)
        self.claims.append(dict(key=key, sp=sp, claim_type=ctype, certainty=cert, polarity=pol,
            holder=holder, stance=[{'target':t,'polarity':p} for t,p in stance], note=note))
    def cue(self, s, kind, ctype, claims, note=None, ctx=None):
        self.cues.append(dict(sp=self.span(s, ctx), kind=kind, cue_type=ctype, claims=claims, note=note))

    def records(self, doc_stance, doc_note, sha):
        # assign ids in text order
        attrs = sorted(self.attrs, key=lambda a: (min(x['start'] for x in [a['source'],a['cue'],a['content']] if x), a['cue']['start']))
        claims = sorted(self.claims, key=lambda c: (c['sp']['start'], -c['sp']['end']))
        cues = sorted(self.cues, key=lambda c: (c['sp']['start'], c['sp']['end']))
        amap = {a['key']: f'a{i+1}' for i,a in enumerate(attrs)}
        cmap = {c['key']: f'c{i+1}' for i,c in enumerate(claims)}
        assert len(amap)==len(attrs) and len(cmap)==len(claims)
        out=[{'record':'document','document_id':self.id,'text_sha256':sha,'document_stance':[{'target':t,'polarity':p} for t,p in doc_stance],'note':doc_note}]
        for a in attrs:
            r={'record':'attribution','id':amap[a['key']],'document_id':self.id,'source':a['source'],'cue':a['cue'],'content':a['content'],
               'source_type':a['source_type'],'form':a['form'],'parc_type':a['parc_type'],'parent':amap[a['parent']] if a['parent'] else None,
               'hypothetical':a['hypothetical'],'author_commitment':a['author_commitment']}
            if a['note']: r['note']=a['note']
            out.append(r)
        for c in claims:
            h=c['holder']
            holder={'type':'author','attribution_id':None} if h=='author' else {'type':'attribution','attribution_id':amap[h]}
            if h!='author':
                a=[x for x in attrs if x['key']==h][0]
                assert a['content']['start']<=c['sp']['start'] and c['sp']['end']<=a['content']['end'], c['sp']['text']
                if a['hypothetical']: assert c['certainty']=='underspecified'
            tg=[s['target'] for s in c['stance']]; assert len(tg)==len(set(tg))
            r={'record':'claim','id':cmap[c['key']],'document_id':self.id,'start':c['sp']['start'],'end':c['sp']['end'],'text':c['sp']['text'],
               'claim_type':c['claim_type'],'certainty':c['certainty'],'polarity':c['polarity'],'holder':holder,'stance':c['stance']}
            if c['note']: r['note']=c['note']
            out.append(r)
        n=len(attrs)+len(claims)
        for i,c in enumerate(cues):
            r={'record':'cue','id':f'h{i+1}','document_id':self.id,'start':c['sp']['start'],'end':c['sp']['end'],'text':c['sp']['text'],
               'kind':c['kind'],'cue_type':c['cue_type'],'claims':[cmap[k] for k in c['claims']]}
            if c['note']: r['note']=c['note']
            out.append(r)
        return out
