/**
 * The Deployments view (explorer): the server's workspace summary as a tree — totals first, then one node per folder,
 * one row per workload; a click opens the file at its model key. The server scans and caches; this only draws, and
 * asks again (debounced) when the server says the rows changed and the view is visible.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { WorkspaceRow, workspaceSummaryChangedNotification, workspaceSummaryRequest, WorkspaceSummaryResult } from '../../protocol/requests';
import type { WorkspaceTotals } from '../../protocol/workspace';
import { FolderGroup, groupByFolder, groupDescription, rowDescription, rowLabel, rowTooltip, totalsLabel, totalsProblems } from './deploymentsRows';

export const DEPLOYMENTS_VIEW = 'deployAdvisor.deployments';

type Node =
  | { kind: 'totals'; totals: WorkspaceTotals }
  | { kind: 'folder'; group: FolderGroup }
  | { kind: 'workload'; row: WorkspaceRow; label: string; uri: string };

export class DeploymentsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Changes announced while the view was hidden: ask again once it shows. */
  private stale = false;

  constructor(private readonly client: LanguageClient) {
    this.view = vscode.window.createTreeView(DEPLOYMENTS_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) this.refresh();
      }),
      client.onNotification(workspaceSummaryChangedNotification, () => this.refreshSoon()),
      { dispose: () => clearTimeout(this.timer) },
    );
  }

  refresh(): void {
    this.stale = false;
    this.changed.fire(undefined);
  }

  private refreshSoon(): void {
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 250);
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node?.kind === 'folder') {
      const perFile = new Map<string, number>();
      for (const r of node.group.rows) perFile.set(r.uri, (perFile.get(r.uri) ?? 0) + 1);
      return node.group.rows.map((row) => ({ kind: 'workload', row, uri: row.uri, label: rowLabel(row, perFile.get(row.uri) ?? 1) }));
    }
    if (node) return [];
    let r: WorkspaceSummaryResult;
    try {
      r = await vscode.window.withProgress({ location: { viewId: DEPLOYMENTS_VIEW } }, () => this.client.sendRequest<WorkspaceSummaryResult>(workspaceSummaryRequest, {}));
    } catch (e) {
      this.view.message = `Could not list the deployments: ${(e as Error).message}`;
      return [];
    }
    this.view.message = r.restricted
      ? 'Restricted Mode: only open documents are listed until you trust this workspace.'
      : r.truncated ? `Partial list: ${r.truncated}.` : undefined;
    this.view.badge = r.totals.byVerdict['does-not-fit'] || r.totals.byVerdict['will-not-start']
      ? { value: (r.totals.byVerdict['does-not-fit'] ?? 0) + (r.totals.byVerdict['will-not-start'] ?? 0), tooltip: totalsProblems(r.totals) }
      : undefined;
    // No rows: the view's welcome content (package.json viewsWelcome) says what it lists and offers a sample.
    if (!r.rows.length) return [];
    return [{ kind: 'totals', totals: r.totals }, ...groupByFolder(r.rows).map((group): Node => ({ kind: 'folder', group }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'totals') {
      const item = new vscode.TreeItem(totalsLabel(node.totals), vscode.TreeItemCollapsibleState.None);
      item.id = 'totals';
      item.description = totalsProblems(node.totals);
      item.iconPath = new vscode.ThemeIcon('dashboard');
      item.tooltip = `${totalsLabel(node.totals)}\n$${node.totals.pricePerHour.toFixed(2)}/h at catalog or file prices${item.description ? `\n${item.description}` : ''}`;
      item.contextValue = 'totals';
      return item;
    }
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `folder:${node.group.key}`;
      item.description = groupDescription(node.group);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.contextValue = 'folder';
      return item;
    }
    const r = node.row;
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.description = rowDescription(r);
    item.tooltip = new vscode.MarkdownString(rowTooltip(r));
    item.iconPath = verdictIcon(r);
    item.contextValue = 'workload';
    const range = new vscode.Range(r.range.start.line, r.range.start.character, r.range.end.line, r.range.end.character);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(node.uri), { selection: range } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function verdictIcon(r: WorkspaceRow): vscode.ThemeIcon {
  if (r.verdict === 'does-not-fit' || r.verdict === 'will-not-start') return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
  if (r.verdict === 'unknown') return new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
  if (r.worst === 'error' || r.worst === 'warning') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
}
