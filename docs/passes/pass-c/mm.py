from lib import Doc
d = Doc('mullahs-missiles')
A='author'
IR,EN,SA,UK,RW,OP='T_IRAN_REGIME','T_ENGAGE_IRAN','T_SANCTIONS','T_UKRAINE_STRIKES','T_RUSSIA_WAR','T_IRAN_OPPOSITION'
F,AG,NS='favor','against','no_stance'
d.claim('t','A Geopolitical Crisis Unfolding','evaluative','certain','positive',A,[],
  note='Title evaluation (§5). The topic "The Mullahs’ Missiles" is outside the claim span, so no target.')
# S1
C1='Iran has sent short-range ballistic missiles to Russia, and the Kremlin is likely to use them in Ukraine within weeks'
d.attr('warn','U.S. Secretary of State Antony Blinken','issued a stark warning',C1,'person','indirect','assertion',False,'committed',
  note='Author presupposes the transfer in own voice ("These Iranian-built missiles … a versatile addition to Russia’s military arsenal", "his own use of Iranian missiles"). "stark" is author framing in the cue.')
d.claim('s1a','Iran has sent short-range ballistic missiles to Russia','factual','certain','positive','warn',[(IR,AG)],note='Warning = holder’s speech act against the agent (§2.4 step 1); equals the document stance but is Blinken’s own side.')
d.claim('s1b','the Kremlin is likely to use them in Ukraine within weeks','predictive','probable','positive','warn',[(RW,AG)],note='Warning against the agent (the Kremlin, conduct of the war), §2.4 step 1; Blinken’s own side, not the author’s framing.')
d.cue('likely','hedge','adjective',['s1b'],ctx='is likely to use')
# S2
SRC='Masoud Pezeshkian, Iran’s self-proclaimed ‘reformist’ president'
d.attr('decl',SRC,'declared','Tehran will never relinquish its missile program','person','indirect','assertion',False,'not_committed',
  note='"self-proclaimed ‘reformist’" and "defiantly" are author framing of source/cue, not doubt about the content.')
d.claim('s2a','Tehran will never relinquish its missile program','predictive','certain','negative','decl',[(IR,F)],note='Holder’s stance (§2.4 step 3), not the author’s.')
d.cue('never','booster','negation',['s2a'])
C2b='such deterrence is vital in a region where Iran’s arch-enemy, Israel, can “drop missiles on Gaza every day'
d.attr('ins',SRC,'insisting',C2b,'person','mixed','assertion',False,'not_committed',
  note='Second reporting event by the same source. Content ends before the final period inside the quotation (§0), so the closing quote mark is outside.')
d.claim('s2b',C2b,'evaluative','certain','positive','ins',[(IR,F)],
  note='"such deterrence" = Iran’s missile program; the holder calls it vital → favor. "where …" restrictive, inside. "can" = habitual ability, no cue.')
# S3
d.claim('s3a','Blinken’s concern extends beyond the immediate conflict','factual','certain','positive',A,[],note='Author framing claim (§1.1).')
C3='Iran’s ballistic missile program as “a threat to all of Europe” and evidence of Iran’s “destabilizing influence” that stretches far beyond the Middle East'
d.attr('char','Blinken’s','characterizing',C3,'person','mixed','assertion',False,'not_committed',
  note='One reporting event; "concern" is part of the author framing claim (§4.1). Quotes are Blinken’s words, not scare quotes.')
d.claim('s3b',C3,'evaluative','certain','positive','char',[(IR,AG)],
  note='Coordinated verbless predicatives of one small-clause subject: not split (S7). "evidence" is the predicate, not a cue (§3.3). Stance is Blinken’s own: his quoted words “a threat to all of Europe”, “destabilizing influence”.')
# S4
d.claim('s4a','Western intelligence supports this alarm','factual','certain','positive',A,[],note='Author framing claim (§1.1).')
C4='Iran has supplied Russia with 4th-generation Khorramshahr long-range ballistic missiles capable of reaching up to 2,000 kilometers'
d.attr('ind','Western intelligence','indicating',C4,'intelligence','indirect','assertion',False,'committed',
  note='Author presupposes the supply in own voice in the next sentence ("These missiles, supplied by the IRGC").')
d.claim('s4b',C4,'factual','probable','positive','ind',[(IR,NS)],note='Hedging attribution cue "indicating" lowers the holder’s certainty (§1.4, §3.2).')
d.cue('indicating','hedge','lexical_verb',['s4b'])
d.cue('up to','approximator','approximator',['s4b'])
# S5
d.claim('s5a','These missiles, supplied by the Islamic Revolutionary Guard Corps (IRGC), signify a new escalation in Iran’s regional and now global aspirations','evaluative','certain','positive',A,[(IR,AG)],
  note='Host span includes the medial supplement. "escalation" frames the regime’s aspirations → against.')
d.claim('s5b','supplied by the Islamic Revolutionary Guard Corps (IRGC)','factual','certain','positive',A,[(IR,NS)])
# S6
C6='dozens of Russian military personnel have been trained in Iran to operate the Fath-360, a short-range ballistic missile system with a maximum range of 75 miles'
d.attr('disc','Blinken','disclosed',C6,'person','indirect','fact',False,'committed',sctx='Blinken disclosed',note='Factive disclose → committed (§4.6).')
d.claim('s6',C6,'factual','certain','positive','disc',[],note='Iran only in a place adjunct, Russian only as a modifier (R3); appositive stays inside.')
d.cue('dozens of','approximator','approximator',['s6'])
# S7
C7='Russia has already received shipments of these missiles and is poised to deploy them against Ukrainian targets imminently'
d.attr('acc','Blinken','According to',C7,'person','indirect','assertion',False,'not_committed',sctx='According to Blinken')
d.claim('s7a','Russia has already received shipments of these missiles','factual','certain','positive','acc',[(RW,NS)],
  note='Missiles stated as for use in Ukraine (R2); "already" temporal, not a cue.')
d.claim('s7b','is poised to deploy them against Ukrainian targets imminently','predictive','probable','positive','acc',[(RW,NS)])
d.cue('poised to','hedge','adjective',['s7b'])
# S8
d.claim('s8a','These Iranian-built missiles are compact, lightweight','factual','certain','positive',A,[],note='S7: "are compact, lightweight" / "can be mounted …" (guideline example).')
d.claim('s8b','can be mounted in clusters on truck-based launchers','factual','certain','positive',A,[],note='"can" = capability, not epistemic: no cue.')
d.claim('s8c','making them a versatile addition to Russia’s military arsenal','evaluative','certain','positive',A,[],note='Participle of result (S6). Russia only as possessor-modifier of arsenal (R3).')
# S9
C9='this development as “a significant escalation'
d.attr('cond','The British Foreign Secretary, David Lammy','condemned',C9,'person','mixed','assertion',False,'not_committed',
  note='Content ends before the period inside the closing quote (§0).')
d.claim('s9',C9,'evaluative','certain','positive','cond',[(IR,AG),(RW,AG)],
  note='Lammy’s own side: condemn = holder’s speech act against the agents of the development (Iran supplying, Russia poised to deploy), §2.4.')
# S10
d.claim('s10a','Ukraine’s President Volodymyr Zelensky finds himself in a precarious position','evaluative','certain','positive',A,[],
  note='Host ends before the split as-clause.')
d.claim('s10b','Western leaders hesitate to provide him with long-range U.S. and UK cruise missiles to counter these threats','factual','certain','positive',A,[(UK,NS)],
  note='Finite as-clause (S4/S6). Plain report, no loaded word → no_stance.')
# S11-12
d.claim('s11','Zelensky’s frustration is understandable','evaluative','certain','positive',A,[],
  note='The object of the frustration is not stated in the text (only implied by the previous sentence), so R2 does not license T_UKRAINE_STRIKES.')
d.claim('s12','Western hesitation in the face of Putin’s threats only emboldens the Kremlin','evaluative','certain','positive',A,[(RW,AG),(UK,F)],note='§2.2 example.')
# S13
C13='the U.S. and NATO would be at war with Russia if they allowed Ukraine to use long-range missiles'
d.attr('ass','Putin’s','assertion',C13,'person','indirect','assertion',False,'not_committed',sctx='Putin’s ominous',
  note='"ominous" and "conveniently ignores" attack the source, not the truth of the content (§4.6 step 2) → not_committed.')
d.claim('s13',f'Putin’s ominous assertion that {C13} conveniently ignores his own use of Iranian missiles to strike civilian targets deep within Ukraine’s sovereign territory','evaluative','certain','positive',A,[(RW,AG),(UK,F)],
  note='§2.3 example: against T_RUSSIA_WAR. One-step inference: against the assertion, which threatens war over long-range strikes → favor T_UKRAINE_STRIKES. Iranian = modifier (R3).')
d.claim('s13r',C13,'predictive','certain','positive','ass',[(UK,AG)],
  note='Conditional consequence with explicit if: would = conditional cue, certain (§1.4). Holder threatens war over the strikes → against.')
d.cue('would','conditional','modal',['s13r'],ctx='NATO would be at war')
d.cue('if','conditional','conditional',['s13r'],ctx='Russia if they allowed')
# S14
d.claim('s14a','The toll of this war is staggering','evaluative','certain','positive',A,[(RW,AG)],note='"staggering" evaluates the war’s toll → against.')
d.claim('s14b','hundreds of thousands of lives lost on both sides, including thousands of Ukrainian women and children','factual','certain','positive',A,[(RW,NS)],
  note='Absolute with-construction (S6). Approximators leave it certain.')
d.cue('hundreds of thousands of','approximator','approximator',['s14b'])
d.cue('thousands of','approximator','approximator',['s14b'],ctx='including thousands of Ukrainian')
# S15
d.claim('s15a','The hypocrisy of the European Union is glaring in this context','evaluative','certain','positive',A,[],note='Frames the EU (no target), §2.3.')
d.claim('s15b','countries like France, Poland, and Hungary continue to purchase Russian gas','factual','certain','positive',A,[],note='"Russian gas": modifier, R3.')
d.claim('s15c','maintaining the façade of stringent economic sanctions against Putin and the Russian elite','evaluative','certain','positive',A,[(RW,AG)],
  note='while + participle (S4/S6), subordinator left out. §2.3: sanctions on Russia are not T_SANCTIONS.')
# S16-18
d.claim('s16','The West’s approach to Iran has been equally flawed','evaluative','certain','positive',A,[(EN,AG)],
  note='R2: the next sentence states the approach as "years of appeasement … JCPOA". "to Iran" modifies approach (R3), no T_IRAN_REGIME.')
d.claim('s17','Years of appeasement, from blacklisting the Iranian resistance as a terrorist organization to the ill-fated JCPOA nuclear deal, have done little to curb Tehran’s belligerence','evaluative','certain','positive',A,[(EN,AG),(IR,AG),(OP,F)],
  note='Quasi-negator "little" → positive. Appositive gerund is a nominalised example list, not split. T_IRAN_OPPOSITION favor by one step: blacklisting the resistance is framed as (bad) appeasement, and blacklisting opposes the resistance.')
d.claim('s18','The release of tens of billions of dollars in frozen assets and the swapping of innocent European and American hostages for convicted Iranian criminals have only emboldened the regime','evaluative','certain','positive',A,[(EN,AG),(IR,AG)],
  note='Coordinated subjects, one claim. Release of frozen assets = sanctions relief as incentive → T_ENGAGE_IRAN. "only emboldened the regime" parallels §2.2 "emboldens the Kremlin".')
d.cue('tens of billions of','approximator','approximator',['s18'])
# S19
d.attr('perc','The mullahs','perceive','these gestures as signs of Western weakness','government','indirect','belief',False,'not_committed',
  note='Imputed belief (§4.6); the author does not say in own voice that the gestures were signs of weakness. Source "The mullahs" = regime leadership → government.')
d.claim('s19a','these gestures as signs of Western weakness','evaluative','certain','positive','perc',[(EN,NS)],note='§2.4 step 4; "signs" is the predicate (§3.3), no cue.')
d.claim('s19b','prompting them to double down on their aggressive policies','factual','certain','positive',A,[(IR,AG)],
  note='Participle of result (S6), author voice. "aggressive" frames the regime’s policies.')
# S20-22
d.claim('s20','The Islamic Republic of Iran is not a state that can be engaged under the conventional rules of international politics','evaluative','certain','negative',A,[(IR,AG),(EN,AG)],
  note='"can" inside a restrictive relative (ability), no cue.')
d.claim('s21','It is a theocratic, authoritarian regime driven by ideological dogma that precludes any meaningful reform from within','evaluative','certain','positive',A,[(IR,AG)],
  note='Reduced relative without comma and restrictive relative stay inside (S3).')
d.claim('s22a','The distinction between moderates and hardliners within the regime is a fallacy','evaluative','certain','positive',A,[],
  note='The regime is mentioned only inside a modifier ("within the regime" modifies moderates and hardliners): R3 excludes it. Hard case.')
d.claim('s22b','all factions are accountable to Supreme Leader Ali Khamenei','factual','certain','positive',A,[(IR,NS)])
d.claim('s22c','whose absolute power is wielded through violence, blackmail, and deceit','evaluative','certain','positive',A,[(IR,AG)],note='Non-restrictive relative (S6).')
# S23
d.claim('s23','President Pezeshkian’s pledge to uphold Khamenei’s directives underscores this reality, as does his commitment to preserving Iran’s missile program and advancing its clandestine nuclear ambitions','factual','certain','positive',A,[(IR,AG)],
  note='S5: the pro-form ellipsis "as does …" stays in the host, span runs to its end. "underscores" takes an NP object ("this reality") and is the claim’s predicate, not a booster (§3.1 lists underscores that). "clandestine" frames the regime.')
d.attr('pledge','President Pezeshkian’s','pledge','uphold Khamenei’s directives','person','indirect','eventuality',False,'committed',
  note='Eventuality content holds no claim (§1.1; lint warning kept). Author uses the pledge as proof of "all factions are accountable to Supreme Leader Ali Khamenei" (own voice). Eventuality: no claim inside.')
d.attr('commit','his','commitment','preserving Iran’s missile program and advancing its clandestine nuclear ambitions','person','indirect','eventuality',False,'committed',sctx='does his commitment',
  note='Eventuality content holds no claim (§1.1; lint warning kept). Nominal attribution (commitment to); author relies on it as proof in own voice. Eventuality: no claim inside.')
# S24-26
d.claim('s24','The West must confront this reality with a decisive strategy','prescriptive','certain','positive',A,[(IR,AG)],
  note='R2: "this reality" = all factions accountable to Khamenei (stated in the previous sentences).')
d.claim('s25','The U.S., UK, and France should authorize Zelensky to deploy long-range missiles against military targets deep within Russian territory','prescriptive','certain','positive',A,[(UK,F)],
  note='"Russian territory": modifier (R3).')
d.claim('s26a','Dialogue with the Iranian regime and its allies must end','prescriptive','certain','positive',A,[(EN,AG),(IR,AG)])
d.claim('s26b','Western support should pivot towards the Iranian people and their resistance movements striving to overthrow the tyranny of the mullahs','prescriptive','certain','positive',A,[(OP,F)],
  note='"tyranny of the mullahs" is inside a restrictive reduced relative modifying "resistance movements"; by R3 the regime is not relevant, so the loaded word is not counted for T_IRAN_REGIME.')
# S27
C27='the international community views the Islamic Republic as a pariah state'
d.attr('msg',None,'would send a clear message',C27,'unnamed','indirect','assertion',True,'not_committed',
  note='Modalised (would) message → hypothetical; would-be sender (the West) not named → null/unnamed (§4.4).')
d.attr('views','the international community','views','the Islamic Republic as a pariah state','group','indirect','belief',True,'not_committed',parent='msg',
  note='Nested inside a hypothetical attribution → hypothetical (§4.4, §4.5).')
d.claim('s27',f'Closing Western embassies in Tehran and expelling Iranian diplomats would send a clear message that {C27}','predictive','certain','positive',A,[(SA,F),(IR,AG)],
  note='Consequence of a proposed action named as subject: would = conditional cue, certain (§1.4). Closing embassies/expelling diplomats = coercive pressure (T_SANCTIONS), predicted to have a desired effect; "pariah" frames the regime.')
d.claim('s27r',C27,'factual','underspecified','positive','msg',[(IR,AG)],note='Content of hypothetical message → underspecified. Stance is the would-be sender’s (§2.4 step 5): the message is that the regime is a pariah.')
d.claim('s27v','the Islamic Republic as a pariah state','evaluative','underspecified','positive','views',[(IR,AG)],note='Nested hypothetical belief → underspecified; "pariah state" is the would-be believer’s characterisation (§2.4 step 5).')
d.cue('would','conditional','modal',['s27'],ctx='diplomats would send')
d.claim('s28','Such actions would also bolster the morale of the beleaguered Iranian population','predictive','certain','positive',A,[(SA,F),(OP,F)],
  note='Subject refers to the actions proposed in the previous sentence → conditional would, certain. Good outcome for the Iranian people (T_IRAN_OPPOSITION covers the people’s struggle) and for the pressure measures.')
d.cue('would','conditional','modal',['s28'],ctx='actions would also')
# S29-31
d.claim('s29','the European Union and the UK must designate the IRGC as a terrorist organization, as the U.S. and Canada have already done','prescriptive','certain','positive',A,[(SA,F),(IR,AG)],
  note='S5: pro-form ellipsis "as … have already done" stays in the host.')
d.claim('s30','Blacklisting the IRGC would disrupt its ability to fund, train, and support proxy forces such as Bashar al-Assad’s regime in Syria, the Houthi rebels in Yemen, Shiite militias in Iraq, Hezbollah in Lebanon, and Hamas and Islamic Jihad in Gaza','predictive','certain','positive',A,[(SA,F),(IR,AG)],
  note='Action as subject → conditional would, certain. Verbs sharing one complement not split.')
d.cue('would','conditional','modal',['s30'],ctx='IRGC would disrupt')
d.claim('s31','The West must maintain unrelenting pressure on the Iranian regime for its ongoing human rights abuses and sponsorship of terrorism','prescriptive','certain','positive',A,[(SA,F),(IR,AG)])
d.claim('s32','Western nations should extend comprehensive political and financial support to the Iranian resistance as the legitimate alternative to the current dictatorship, capable of leading a peaceful transition to democracy','prescriptive','certain','positive',A,[(OP,F)],
  note='as-phrase and verbless adjective phrase stay inside (S6). "the current dictatorship" is inside a modifier of "alternative" (R3), so no T_IRAN_REGIME.')
d.claim('s33','It is time for the West to stand firmly with the Iranian people in their struggle for freedom and democracy','prescriptive','certain','positive',A,[(OP,F)])
# S34
d.claim('s34a','The downfall of the mullahs’ regime would dismantle the so-called ‘Axis of Resistance’—a coalition of autocracies that includes Russia, Venezuela, North Korea, and Iran','predictive','certain','positive',A,[(IR,AG)],
  note='Nominalised event subject → conditional would, certain. The appositive NP with a restrictive relative stays inside. Predicting a good outcome of the regime’s downfall; "mullahs", "autocracies" → against.')
d.claim('s34b','could pave the way for a more peaceful global order','predictive','possible','positive',A,[(IR,AG)],
  note='S7 split (own verb + complement); understood subject: the downfall of the regime.')
d.cue('would','conditional','modal',['s34a'],ctx='regime would dismantle')
d.cue('could','hedge','modal',['s34b'])
DS=[(IR,'against'),(EN,'against'),(SA,'favor'),(UK,'favor'),(RW,'against'),(OP,'favor')]
NOTE=('§2.6 from author claims. Prescriptions: T_IRAN_REGIME against (4), T_ENGAGE_IRAN against (1), T_SANCTIONS favor (3), T_UKRAINE_STRIKES favor (1), '
      'T_IRAN_OPPOSITION favor (3). T_RUSSIA_WAR has no prescription with a side; its evaluative claims are all against.')
