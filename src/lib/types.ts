// Domain words shared by server and pages (DESIGN.md section 2). Types only: safe for components to import.
export type UnitKind = 'committee' | 'general_branch' | 'branch';
export type Role = 'member' | 'secretary' | 'committee';
export type MemberStatus = 'active' | 'disabled';
export type QuestionType = 'single' | 'multiple' | 'true_false' | 'fill';
export type Difficulty = 'easy' | 'medium' | 'hard';
export type QuestionStatus = 'draft' | 'active' | 'retired';
