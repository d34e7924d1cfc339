/**
 * Kubernetes objects of the launchers built on the engines — KServe runtimes and services (kserve.ts), llm-d's
 * ModelService (llmd.ts), KubeAI's Model (kubeai.ts), NVIDIA NIM (nim.ts). Each launcher reads the documents it
 * owns; the file's other documents are read by the plain workload reader (kubernetes.ts), in the file's order.
 */
import type { Document } from 'yaml';
import { applyDirective, findDirective } from './directive';
import type { ParsedDocument } from './document';
import { kubernetesReader, markSharedDirective } from './kubernetes';
import type { DeploymentPlan } from '../plan/types';
import type { FormatProblem, FormatReader, ReadContext } from './types';
import { kserveObjects } from './kserve';
import { llmdObjects } from './llmd';
import { kubeaiObjects } from './kubeai';
import { nimObjects } from './nim';

export interface LauncherRead {
  plans: DeploymentPlan[];
  problems: FormatProblem[];
}

/** One launcher's reader of Kubernetes objects. `all` is every document of the file (KServe pairs a service with
 *  the runtime it names). */
export interface LauncherObjects {
  name: string;
  claims(doc: ParsedDocument, d: Document, all: Document[]): boolean;
  read(doc: ParsedDocument, d: Document, all: Document[], ctx: ReadContext): LauncherRead;
}

const launchers: LauncherObjects[] = [kserveObjects, llmdObjects, kubeaiObjects, nimObjects];

const owner = (doc: ParsedDocument, d: Document) => launchers.find((l) => l.claims(doc, d, doc.docs));

export const kubernetesLaunchersReader: FormatReader = {
  name: 'kubernetes',
  detect(doc) {
    return doc.docs.some((d) => !!owner(doc, d));
  },
  read(doc, ctx) {
    const plans: DeploymentPlan[] = [];
    const problems: FormatProblem[] = [];
    const directive = findDirective(doc.text);
    for (const d of doc.docs) {
      const l = owner(doc, d);
      const r = l ? l.read(doc, d, doc.docs, ctx) : kubernetesReader.read({ ...doc, docs: [d] }, ctx);
      if (l) for (const p of r.plans) applyDirective(p, directive);
      plans.push(...r.plans);
      problems.push(...r.problems);
    }
    markSharedDirective(plans);
    return { format: 'kubernetes', plans, problems };
  },
};
