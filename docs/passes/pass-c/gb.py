from lib import Doc
d = Doc('going-ballistic')
A='author'
IR,EN,SA,UK,RW,OP='T_IRAN_REGIME','T_ENGAGE_IRAN','T_SANCTIONS','T_UKRAINE_STRIKES','T_RUSSIA_WAR','T_IRAN_OPPOSITION'
F,AG,NS='favor','against','no_stance'
# caption
d.claim('cap','An Iranian short-range ballistic missile (SRBM) Tondar-69 on display at IRGC aerospace fair in western Tehran','factual','certain','positive',A,[],
  note='Caption description = factual author claim; IRGC only in a place adjunct (R3), no target.')
# S1
C1='Iran has supplied Russia with several hundred short range ballistic missiles for use in Ukraine'
d.attr('ann','European and US governments','announced',C1,'government','indirect','assertion',False,'committed',
  note='Author presupposes the supply in own voice: "Iran’s decision to supply ballistic missiles".')
d.attr('den','Tehran','has denied',C1,'government','indirect','assertion',False,'committed', sctx='Tehran has denied',
  note='Denial of the same content (§4.6 announced vs denied); same author_commitment as the announcement. The denial claim itself is not annotated (§5).')
d.claim('s1',C1,'factual','certain','positive','ann',[(IR,NS),(RW,NS)],note='Holder = the asserting attribution (announced), not the denial (§1.6).')
d.cue('several hundred','approximator','approximator',['s1'])
d.claim('s2','The missiles join hundreds of Iranian drones already in Russian hands','factual','certain','positive',A,[],
  note='Iran and Russia only as noun modifiers (Iranian drones, Russian hands): R3, no target.')
d.cue('hundreds of','approximator','approximator',['s2'],ctx='hundreds of Iranian drones')
# S3
C3='this is a “dramatic” escalatory step with Iran now even more directly involved in challenging European security in Ukraine'
d.attr('for','Western governments','For',C3,'government','mixed','belief',False,'not_committed',
  note='Viewpoint frame "For X, P" (§4.3); the absolute with-construction is read inside the frame, so its claim is held by the attribution too. The author does not assert the escalation evaluation in own voice.',
  cctx='For Western governments')
d.claim('s3a','this is a “dramatic” escalatory step','evaluative','certain','positive','for',[(IR,AG)],
  note='"this" = Iran’s supply of missiles (the target’s action); "dramatic" (holder’s quoted word) and "escalatory" frame it → against for Western governments. Kept although it equals the document stance: the holder’s own wording (quoted “dramatic”) takes this side (§2.4 step 3). Russia not mentioned in the claim.')
d.claim('s3b','Iran now even more directly involved in challenging European security in Ukraine','factual','certain','positive','for',[(IR,NS)],
  note='S6 absolute with-construction = own claim. "challenging European security" read as description, not a loaded word; Ukraine only in a place adjunct.')
# S4
d.claim('s4','the United States, together with the United Kingdom, France, and Germany (E3) have imposed immediate sanctions, including cancelling Iran Air flights to Europe','factual','certain','positive',A,[(SA,NS)],
  note='"including cancelling …" is an NP-internal example list (gerund under the preposition-like including), kept inside the host.')
# S5
d.attr('sig','the newly elected and reformist-leaning Iranian government led by President Masoud Pezeshkian','had been signalling a desire','reopen nuclear negotiations with the West',
  'government','indirect','eventuality',False,'not_committed',
  note='Eventuality content (§3.2): no claim inside, so "signalling" is not annotated as a hedge cue.')
d.claim('s5a','The move comes just as the newly elected and reformist-leaning Iranian government led by President Masoud Pezeshkian had been signalling a desire to reopen nuclear negotiations with the West',
  'factual','certain','positive',A,[],
  note='"just as …" is a time adjunct (S3) and stays inside; Iran/negotiations appear only in that adjunct (R3), so no target listed.')
d.claim('s5b','motivated by a renewed focus on the need for sanctions relief to address economic challenges','factual','certain','positive',A,[(IR,NS),(EN,NS)],
  note='Dash-set-off participle (S6) = own claim; understood subject = the Iranian government’s signalling; sanctions relief as an incentive belongs to T_ENGAGE_IRAN.')
d.claim('s6','Iran’s supreme leader Ali Khamenei had also shown openness to new negotiations','factual','certain','positive',A,[(IR,NS),(EN,NS)])
# S7
d.claim('s7','Iran’s decision to supply ballistic missiles shows that Khamenei’s strategic priority remains strengthening ties with Russia','factual','certain','positive',A,[(IR,NS)],
  note='S2: complement of "shows" stays inside; Russia only inside a nominal (ties with Russia), not the war.')
d.cue('shows','booster','lexical_verb',['s7'],ctx='missiles shows that')
# S8
d.claim('s8a','This has partly been driven by the American withdrawal from the nuclear agreement and its restoration of maximum pressure sanctions','factual','certain','positive',A,[(IR,NS),(EN,NS),(SA,NS)])
d.claim('s8b','compounded by growing security threats from Israel and the US','factual','certain','positive',A,[(IR,NS)],
  note='S7: second conjunct with own verb and complement; span starts at the verb (shared auxiliary "has been" stays in the first conjunct).')
d.cue('partly','approximator','approximator',['s8a'])
# S9
d.claim('s9a','The move also underscores that national security decisions are firmly controlled by Khamenei and the Revolutionary Guards','factual','certain','positive',A,[(IR,NS)])
d.cue('underscores','booster','lexical_verb',['s9a'])
d.claim('s9b','the newly elected government likely faced an already done missiles deal when it assumed office','factual','probable','positive',A,[(IR,NS)],
  note='Read as a coordinated main clause of the author (own subject, own hedge), not as a second complement of "underscores"; "when it assumed office" is a time adjunct kept inside.')
d.cue('likely','hedge','adverb',['s9b'],ctx='government likely faced')
# S10
C10='the provision of missiles to Russia will close the space for new negotiations and make lifting Western sanctions impossible'
d.attr('msg','European governments','send a clear message',C10,'government','indirect','assertion',True,'not_committed',
  note='Prescribed message (need to) → hypothetical (§4.4). The author does not assert the content in own voice (next sentence predicts tighter measures, a different proposition).',
  sctx='European governments need to send', cctx='need to send a clear message')
d.claim('s10',f'European governments need to send a clear message to Tehran that {C10}','prescriptive','certain','positive',A,[(IR,AG),(SA,F),(EN,NS)],
  note='Author prescription; span includes the message content (complement of the cue). Warning message to Tehran about its missile provision → against regime; threatening no sanctions lifting → favor pressure; engagement is used as leverage, no side.')
d.claim('s10a','the provision of missiles to Russia will close the space for new negotiations','predictive','underspecified','positive','msg',[(EN,NS)],
  note='Content of a hypothetical attribution → underspecified (§1.4).')
d.claim('s10b','make lifting Western sanctions impossible','predictive','underspecified','positive','msg',[(SA,F)],
  note='§2.4 step 5: would-be sender favors keeping sanctions. Kept although it equals the document stance: it is the wording of the message European governments are to send.')
# S11
d.claim('s11a','it will only ensure tighter Western measures','predictive','certain','positive',A,[(SA,NS)],
  note='Read as the author’s own prediction (new sentence), not part of the message content. "only" is focus, not a cue.')
d.claim('s11b','the European Union likely to widen the initial E3 measures','predictive','probable','positive',A,[(SA,NS)],note='S6 absolute with-construction.')
d.cue('likely','hedge','adjective',['s11b'],ctx='European Union likely to widen')
# S12
d.claim('s12a','Europeans should also maintain direct dialogue with Tehran','prescriptive','certain','positive',A,[(EN,F)],
  note='"with Tehran" is a complement of the noun dialogue (R3 modifier), so no T_IRAN_REGIME.')
d.claim('s12b','hold out the prospect of new negotiations if Iran immediately halts missile supplies to Russia and shows a willingness to engage in meaningful nuclear talks','prescriptive','certain','positive',A,[(EN,F)],
  note='S7 split; condition stays inside (S3); Iran and Russia only in the condition (R3). "prospect" is prescribed content, not a cue.')
d.cue('if','conditional','conditional',['s12b'],ctx='negotiations if Iran immediately')
d.attr('will','Iran','shows a willingness','engage in meaningful nuclear talks','government','indirect','eventuality',True,'not_committed',
  note='Inside an if-clause → hypothetical (§4.4); eventuality content holds no claim (lint warning kept, §1.1 nominalised-proposition rule). "shows" here is part of the eventuality cue "shows a willingness", not an evidential booster.', sctx='if Iran immediately')
# S13
d.claim('s13a','E3 leaders should use the upcoming UN General Assembly to directly convey this message to their Iranian counterparts','prescriptive','certain','positive',A,[(EN,F)],
  note='"convey this message" has an NP content (fails §4.2 step 3): no attribution.')
d.claim('s13b','leveraging the possibility of serious diplomacy and economic relief to halt Iran’s support for Russia','prescriptive','certain','positive',A,[(EN,F)],
  note='Trailing participle of accompaniment (S4/S6) = own claim; inherits the prescriptive force. "possibility" is part of the prescribed content, not a cue (§3.1). Iran/Russia only in the purpose adjunct.')
# S14
d.claim('s14','After a string of problematic Iranian actions on its nuclear programme and across the Middle East, European governments need to be clear-eyed about the balance of power in Tehran','prescriptive','certain','positive',A,[],
  note='"problematic Iranian actions" is loaded but sits in a time adjunct and "Iranian" is a modifier; R3 excludes the target, so the framing word is not counted (see report: §2.1 R3 vs §2.3 tension). "in Tehran" is a place modifier.')
# S15
d.claim('s15','They should maintain a firm position if Iran continues supplying Russia with weapons','prescriptive','certain','positive',A,[(SA,F)],
  note='Firm position = pressure (§2.6 example); Iran and Russia only in the condition.')
d.cue('if','conditional','conditional',['s15'],ctx='position if Iran continues')
# S16
d.claim('s16','Europeans should also ensure that their Iranian counterparts advocating for talks with the West can point to a European partner willing to engage in fair talks','prescriptive','certain','positive',A,[(EN,F)],
  note='Complement of "ensure" stays inside (S2); "point to" is literal (NP object), no cue; "can" is ability, not epistemic.')
d.attr('wil','a European partner','willing','engage in fair talks','government','indirect','eventuality',True,'not_committed',cctx='partner willing to',
  note='Adjectival eventuality (cf. "shows a willingness"); the partner exists only in the prescribed state of affairs → hypothetical. Content holds no claim. "advocating for talks" has a bare NP content: no attribution.')
# S17
d.claim('s17','These negotiations should initially be centred on nuclear de-escalation as the issue with the most common ground','prescriptive','certain','positive',A,[(EN,F)],
  note='Predicative as-phrase stays inside (S6). Prescribing how to conduct negotiations presupposes and supports them → favor.')
# S18
d.claim('s18a','Iran’s nuclear position interlinks with its deterrence strategy amid deepening regional conflict','factual','certain','positive',A,[(IR,NS)])
d.claim('s18b','a wider conversation will quickly be needed','predictive','certain','positive',A,[(EN,F)],
  note='Future necessity statement (will … be needed) typed predictive, not a deontic prescription to a named agent; "needed" takes a side for a wider conversation with Iran.')
# S19
C19='escalating tensions with Tehran could dramatically worsen the situation in the Middle East, further fuel Iran’s nuclear programme, and risk drawing the West into a wider conflict'
d.attr('know','European diplomats','know',C19,'group','indirect','fact',False,'committed',cctx='diplomats know that',note='Factive know → committed to the content as hedged (§4.6).')
d.claim('s19a','escalating tensions with Tehran could dramatically worsen the situation in the Middle East','predictive','possible','positive','know',[(SA,AG)],
  note='"escalating tensions with Tehran" read as coercive pressure on Iran (T_SANCTIONS definition); predicting a bad outcome ("worsen") → against.')
d.claim('s19b','further fuel Iran’s nuclear programme','predictive','possible','positive','know',[(SA,AG),(IR,NS)],
  note='S7 split; the VP-initial adverb "further" kept with its verb. Shares "could".')
d.claim('s19c','risk drawing the West into a wider conflict','predictive','possible','positive','know',[(SA,AG)])
d.cue('could','hedge','modal',['s19a','s19b','s19c'],ctx='Tehran could dramatically')
d.cue('risk','hedge','lexical_verb',['s19c'],ctx='and risk drawing')
# S20
d.claim('s20a','They could also result in even closer Iranian alignment with Russia','predictive','possible','positive',A,[(SA,AG)],
  note='Author voice (new sentence outside the know-complement). "Iranian alignment with Russia": Iran as modifier, Russia not the war.')
d.claim('s20b','fuelling the very trajectory that Europeans want to prevent','predictive','possible','positive',A,[(SA,AG)],
  note='Participle of result (S6). Within the scope of "could" of its host. "that Europeans want to prevent" is a relative-clause gap: no attribution (§4.2).')
d.cue('could','hedge','modal',['s20a','s20b'],ctx='They could also')
DS=[(IR,'against'),(EN,'favor'),(SA,'favor'),(UK,'none'),(RW,'none'),(OP,'none')]
NOTE=('§2.6 from author claims. T_ENGAGE_IRAN: all author prescriptions with a side favor. T_SANCTIONS: prescriptions favor (clear message, firm position); author predictive claims against escalation (2) '
      'do not outweigh (2 favor vs 2 against overall; prescriptions first). T_IRAN_REGIME: the one author claim with a side is the prescribed warning to Tehran (against); the rest no_stance. '
      'T_RUSSIA_WAR: only in reported claims or excluded positions → none.')
